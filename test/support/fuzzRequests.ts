/**
 * The fuzzer's requests (test/fuzz.test.ts), built for any registered variant from what the variant and its spec
 * say, with no table of variants: a sixth variant is fuzzed as soon as it is registered.
 *
 * From the spec (src/openapi/model.ts): the operations, with their method, path template, parameters, request body
 * media types and security schemes (which header carries which credential, with which prefix). From the variant:
 * its mount point (`/<name>` + mockBasePath), the seeded requests of `documents(defaultSeed)` (known path parameter
 * values and body fields, valid bodies) and `demoCredentials(defaultSeed)` (every demo credential, other tenants'
 * and expired ones too).
 */
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import type { AnyVariant, DocumentEntry } from '../../src/mock/types.js';
import { mockBasePath, type OperationModel, operations, resolveRef, securitySchemes } from '../../src/openapi/model.js';

export interface FuzzRequest {
  /** The operation the request was made from. */
  operation: string;
  /** The operation whose responses document the answer: the one of the method sent at this path if there is one,
   *  else `operation` (its documented 405 answers a wrong method). */
  answeredBy: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Blob;
}

type Credential = Record<string, string>;
type Seeded = DocumentEntry['request'];

const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'];
const JUNK = [
  ...['', '%2F', '%2E%2E', '..', '%00', '%E0%A4%A', '%ZZ', '😀', 'a'.repeat(300), '{id}', '*'],
  ...["' OR 1=1 --", '<script>'],
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Header values fetch accepts: printable ASCII. */
const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

/** Every operation of the variant's spec, each with an arbitrary of its requests; any one of them per run. */
export function fuzzRequests(variant: AnyVariant): fc.Arbitrary<FuzzRequest> {
  const ops = operations(variant.definition);
  const seeded = variant.documents(variant.defaultSeed as never).map((d) => d.request);
  const credentials = knownCredentials(variant);
  return fc.oneof(...ops.map((op) => operationRequests(variant, ops, op, seeded, credentials)));
}

function operationRequests(
  variant: AnyVariant,
  ops: OperationModel[],
  op: OperationModel,
  allSeeded: Seeded[],
  credentials: Credential[],
): fc.Arbitrary<FuzzRequest> {
  const seeded = allSeeded.filter((r) => r.method.toLowerCase() === op.method && pathParams(op.path, r.path));
  const mount = `/${variant.name}${mockBasePath(variant.definition)}`;
  const documented = op.method.toUpperCase();
  return fc
    .record({
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constant(documented) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      path: path(op, seeded, allSeeded),
      tail: fc.oneof(
        { weight: 6, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: fc.constantFrom('/', '/extra') },
      ),
      query: query(op),
      credential: credential(variant.definition, op, credentials),
      parameters: headerParameters(op),
      extra: extraHeaders,
      body: requestBody(variant.definition, op, seeded),
    })
    .map(({ method, path, tail, query, credential, parameters, extra, body }) => {
      const answeredBy = ops.find((o) => o.path === op.path && o.method === method.toLowerCase()) ?? op;
      const headers = { ...extra, ...credential, ...parameters };
      const request = {
        operation: op.id,
        answeredBy: answeredBy.id,
        method,
        path: `${mount}${path}${tail}${query}`,
        headers,
      };
      if (!body) return request;
      return {
        ...request,
        body: body.payload,
        headers: body.type ? { ...headers, 'content-type': body.type } : headers,
      };
    });
}

/** The decoded values of the template's parameters in a concrete path, or undefined when it does not match. */
function pathParams(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const values: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (name !== undefined) values[name] = decodeURIComponent(got[i]!);
    else if (segment !== got[i]) return undefined;
  }
  return values;
}

/**
 * The template with each parameter a known value (from this operation's seeded requests; from every seeded
 * request when it has none), an inherited name, junk, any string or a UUID.
 */
function path(op: OperationModel, seeded: Seeded[], allSeeded: Seeded[]): fc.Arbitrary<string> {
  const segments = op.path.split('/').map((segment) => {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (name === undefined) return fc.constant(segment);
    const fromOp = seeded.map((r) => pathParams(op.path, r.path)![name]!);
    const known =
      fromOp.length > 0
        ? fromOp
        : allSeeded.flatMap((r) => [...r.path.split('/').map(decodeURIComponent), ...leaves(r.body)]);
    return fc.oneof(
      ...(known.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...known).map(encodeURIComponent) }] : []),
      { weight: 2, arbitrary: fc.constantFrom(...INHERITED, ...JUNK) },
      { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
      { weight: 1, arbitrary: fc.uuid() },
    );
  });
  return fc.tuple(...segments).map((parts) => parts.join('/'));
}

/** The string leaves of a JSON value. */
function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

/** Text values a parameter's schema allows. */
function schemaValues(schema: OpenAPIV3.SchemaObject | undefined): string[] {
  if (schema?.enum) return schema.enum.map(String);
  if (schema?.type === 'boolean') return ['true', 'false'];
  return [];
}

const QUERY_JUNK = ['yes', '1', '', '%00', '__proto__'];

/** Up to three pairs: the operation's query parameters (more often), path parameter names and others. */
function query(op: OperationModel): fc.Arbitrary<string> {
  const documented = op.parameters.filter((p) => p.in === 'query');
  const names = [...documented, ...documented].map((p) => p.name);
  const others = ['x', '__proto__', 'api_key', ...op.parameters.filter((p) => p.in === 'path').map((p) => p.name)];
  const values = [...documented.flatMap((p) => schemaValues(p.schema as OpenAPIV3.SchemaObject)), ...QUERY_JUNK];
  return fc
    .array(fc.tuple(fc.constantFrom(...names, ...others), fc.constantFrom(...values)), { maxLength: 3 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
}

/** Each documented header parameter (not a credential) absent, with a value its schema allows, or junk. */
function headerParameters(op: OperationModel): fc.Arbitrary<Record<string, string>> {
  const entries = op.parameters
    .filter((p) => p.in === 'header')
    .map((p) => {
      const schema = p.schema as OpenAPIV3.SchemaObject | undefined;
      const allowed = schema?.format === 'uuid' ? fc.uuid() : fc.constantFrom(...schemaValues(schema), 'x');
      const value = fc.oneof(fc.constant(undefined), allowed, fc.constantFrom('not-a-uuid', ''), printable(60));
      return value.map((v) => (v === undefined ? [] : [[p.name.toLowerCase(), v] as const]));
    });
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.flat()));
}

/** Extra headers with random (valid) names and printable values. */
const SKIPPED = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'expect',
  'upgrade',
  'keep-alive',
  'prefer',
];
const extraHeaders = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((h) => ![...SKIPPED, 'te', 'trailer'].includes(h)),
  printable(60),
  { maxKeys: 3 },
);

/** The header that carries a scheme's credential, and the prefix of its value (`Bearer ` for bearer). */
interface CredentialHeader {
  header: string;
  prefix: string;
}

function credentialHeader(scheme: OpenAPIV3.SecuritySchemeObject | undefined): CredentialHeader | undefined {
  if (scheme?.type === 'http')
    return { header: 'authorization', prefix: `${scheme.scheme[0]!.toUpperCase()}${scheme.scheme.slice(1)} ` };
  if (scheme?.type === 'apiKey' && scheme.in === 'header') return { header: scheme.name.toLowerCase(), prefix: '' };
  // Query and cookie keys, OAuth 2 and OpenID Connect: no spec of tombstone uses them yet.
  return undefined;
}

/** Every demo credential of the seed, as the headers that carry it (lower-case names); none needed: left out. */
function knownCredentials(variant: AnyVariant): Credential[] {
  return variant
    .demoCredentials(variant.defaultSeed as never)
    .map((c) => Object.fromEntries(Object.entries(c.headers).map(([name, value]) => [name.toLowerCase(), value])))
    .filter((c) => Object.keys(c).length > 0);
}

/**
 * A credential for `op`: mostly a demo one that satisfies a security requirement (any tenant's, expired ones too),
 * else an invalid one: none, one header missing, a wrong value, the value under the wrong scheme, or headers of two
 * different credentials together.
 */
function credential(definition: OpenAPIV3.Document, op: OperationModel, known: Credential[]): fc.Arbitrary<Credential> {
  const schemes = securitySchemes(definition);
  const sets = op.security.sets.map((set) => set.map((name) => credentialHeader(schemes[name])));
  const usable = sets.filter((set): set is CredentialHeader[] => set.every((c) => c !== undefined));
  const valid = usable.flatMap((set) =>
    known
      .filter((c) => set.every((h) => h.header in c))
      .map((c) => Object.fromEntries(set.map((h) => [h.header, c[h.header]!]))),
  );
  if (op.security.anonymous) valid.push({});
  if (valid.length === 0) return fc.constant({});
  const carriers = usable.flat();
  const prefixOf = (header: string) => carriers.find((c) => c.header === header)?.prefix ?? '';
  const pick = fc.constantFrom(...valid).chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(...Object.keys(c), '')));
  const invalid = fc.oneof(
    fc.constant({}),
    pick.map(([c, h]) => without(c, h)),
    fc
      .tuple(pick, fc.oneof(fc.constantFrom('', 'nope', 'expired'), printable(40)))
      .map(([[c, h], junk]) => (h ? { ...c, [h]: `${prefixOf(h)}${junk}` } : c)),
    fc.tuple(pick, fc.constantFrom('none', 'basic', 'bearer')).map(([[c, h], wrong]) => {
      if (!h) return c;
      const token = c[h]!.slice(prefixOf(h).length);
      if (wrong === 'bearer') return { ...without(c, h), authorization: `Bearer ${token}` };
      return { ...c, [h]: wrong === 'basic' ? `Basic ${token}` : prefixOf(h) ? token : prefixOf(h).trim() };
    }),
    fc
      .tuple(fc.constantFrom(...valid), fc.constantFrom(...valid))
      .map(([a, b]) => Object.fromEntries(Object.keys(a).map((h, i) => [h, (i % 2 ? b : a)[h] ?? a[h]!]))),
  );
  return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: invalid });
}

const without = (c: Credential, header: string): Credential =>
  Object.fromEntries(Object.entries(c).filter(([h]) => h !== header));

interface Body {
  payload: string | Blob;
  /** The Content-Type sent; empty: none. */
  type: string;
}

const isJson = (media: string) => media === 'application/json' || media.endsWith('+json');

/**
 * For an operation with a JSON request body: a seeded body with fuzzed leaves (mostly), any JSON, deep nesting, a
 * seeded body with huge strings, invalid UTF-8 or malformed JSON, under the documented Content-Type or a wrong or
 * missing one. Operations without one send no body.
 */
function requestBody(
  definition: OpenAPIV3.Document,
  op: OperationModel,
  seeded: Seeded[],
): fc.Arbitrary<Body | undefined> {
  const requestBody =
    op.object.requestBody && resolveRef<OpenAPIV3.RequestBodyObject>(definition, op.object.requestBody);
  const media = Object.keys(requestBody?.content ?? {});
  const json = media.find(isJson);
  if (!json) return fc.constant(undefined);
  const samples = seeded.flatMap((r) => (r.body === undefined ? [] : [r.body]));
  const sample = samples[0] ?? {};
  const text = JSON.stringify(sample);
  const pools = new Map<string, unknown[]>();
  for (const s of samples) collect(s, '', pools);
  const payload = fc.oneof(
    {
      weight: 4,
      arbitrary: (samples.length ? fuzzedLike(sample, '', pools) : fc.jsonValue()).map((v) => JSON.stringify(v)),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1, max: 200_000 })
        .map((n) => JSON.stringify(mapLeaves(sample, () => 'x'.repeat(n)))),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 64 })
        .map((bytes) => new Blob([Uint8Array.from([0x7b, 0xff, 0xfe, ...bytes])])),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.nat({ max: text.length - 1 }).map((k) => text.slice(0, k)),
        fc.constantFrom('null', '"str"', '[]', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}'),
      ),
    },
  );
  const wrong = [
    'text/plain',
    'application/x-www-form-urlencoded',
    `${json}; charset=utf-16`,
    'application/problem+json',
  ];
  const type = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...media) },
    { weight: 1, arbitrary: fc.constantFrom(...wrong, json.toUpperCase(), 'json', '') },
  );
  return fc.record({ payload, type });
}

/** Where a value sits in a body, array positions as `*`. */
const child = (pointer: string, key: string | number) => `${pointer}/${typeof key === 'number' ? '*' : key}`;

/** Every scalar of the seeded bodies, by pointer. */
function collect(value: unknown, pointer: string, pools: Map<string, unknown[]>): void {
  if (Array.isArray(value)) for (const v of value) collect(v, child(pointer, 0), pools);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) collect(v, child(pointer, k), pools);
  else pools.set(pointer, [...(pools.get(pointer) ?? []), value]);
}

/**
 * Bodies shaped like `sample`: arrays of up to 20 items, objects with all their fields (sometimes some left out),
 * each scalar a value seeded at that place, an inherited name, any string, or a value of the wrong type.
 */
function fuzzedLike(sample: unknown, pointer: string, pools: Map<string, unknown[]>): fc.Arbitrary<unknown> {
  if (Array.isArray(sample)) return fc.array(fuzzedLike(sample[0] ?? '', child(pointer, 0), pools), { maxLength: 20 });
  if (sample && typeof sample === 'object') {
    const fields = Object.fromEntries(
      Object.entries(sample).map(([k, v]) => [k, fuzzedLike(v, child(pointer, k), pools)]),
    );
    return fc.oneof(
      { weight: 9, arbitrary: fc.record(fields) },
      { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) },
    );
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...(pools.get(pointer) ?? []), ...INHERITED) },
    { weight: 2, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)) },
  );
}

/** `value` with every string replaced. */
function mapLeaves(value: unknown, replace: (s: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => mapLeaves(v, replace));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLeaves(v, replace)]));
  return value;
}
