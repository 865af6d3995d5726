/**
 * What changed between two versions of a spec, and whether each change breaks an existing client — the checks of
 * oasdiff's and Optic's breaking-change rules, for OpenAPI 3.0 documents that are bundled and dereferenced (as
 * `bundleSpec` makes them). No npm package did all of it here: openapi-diff ignores parameters and security,
 * Optic's ruleset misses format and security changes, @pb33f/openapi-changes downloads a binary at install.
 *
 * Schemas are compared by direction. What a client sends (parameters, request bodies) breaks it when it narrows:
 * a value it used to send may now be refused. What a client reads (response bodies and headers) breaks it when it
 * widens: a value it cannot handle may now arrive. Edits to descriptions, summaries and examples never break.
 * A change this module does not understand is reported as breaking, so the gate errs on the side of a review.
 * https://github.com/oasdiff/oasdiff/blob/main/BREAKING-CHANGES.md, https://spec.openapis.org/oas/v3.0.3
 */
import { isDeepStrictEqual } from 'node:util';
import type { OpenAPIV3 } from 'openapi-types';
import { type OperationModel, operations } from '../openapi/model.js';

export interface Change {
  /** The operation (`DELETE /v2/documents/{document_id}`), or the part of the spec (`servers`, `info`). */
  where: string;
  /** What changed, below `where`: `query parameter hard`, `request body data.documentIds`, `response 404`. */
  what: string;
  message: string;
  breaking: boolean;
}

type Schema = OpenAPIV3.SchemaObject;
type Direction = 'request' | 'response';
type Report = (what: string, message: string, breaking: boolean) => void;

/** Keys that only document: editing them never breaks a client. */
function isDocumentation(key: string): boolean {
  return (
    ['description', 'summary', 'title', 'example', 'examples', 'externalDocs', 'tags', 'deprecated'].includes(key) ||
    key.startsWith('x-')
  );
}

export function compareSpecs(before: OpenAPIV3.Document, after: OpenAPIV3.Document): Change[] {
  const changes: Change[] = [];
  const at =
    (where: string): Report =>
    (what, message, breaking) =>
      changes.push({ where, what, message, breaking });

  compareServers(before.servers ?? [], after.servers ?? [], at('servers'));
  for (const key of ['info', 'tags', 'externalDocs'] as const) {
    if (!isDeepStrictEqual(before[key], after[key])) at(key)('', 'edited', false);
  }
  for (const key of unionKeys(before, after).filter((k) => k.startsWith('x-'))) {
    if (!isDeepStrictEqual(before[key as keyof typeof before], after[key as keyof typeof after]))
      at(key)('', 'edited', false);
  }

  const beforeOps = byRoute(before);
  const afterOps = byRoute(after);
  for (const [key, op] of beforeOps) {
    const next = afterOps.get(key);
    if (!next) at(op.label)('', 'operation removed', true);
    else compareOperation(before, after, op, next, at(next.label));
  }
  for (const [key, op] of afterOps) if (!beforeOps.has(key)) at(op.label)('', 'operation added', false);
  return changes;
}

function compareServers(before: OpenAPIV3.ServerObject[], after: OpenAPIV3.ServerObject[], report: Report): void {
  const urls = (servers: OpenAPIV3.ServerObject[]) => new Set(servers.map((s) => s.url));
  for (const url of urls(before)) if (!urls(after).has(url)) report(url, 'server removed', true);
  for (const url of urls(after)) if (!urls(before).has(url)) report(url, 'server added', false);
  for (const server of before) {
    const next = after.find((s) => s.url === server.url);
    if (next) compareRest(server, next, new Set(['url']), server.url, report);
  }
}

interface Operation {
  label: string;
  model: OperationModel;
}

/** Operations keyed by method and path template, parameter names aside (renaming `{id}` moves nothing). */
function byRoute(doc: OpenAPIV3.Document): Map<string, Operation> {
  return new Map(
    operations(doc).map((model) => [
      `${model.method} ${model.path.replace(/\{[^}]*\}/g, '{}')}`,
      { label: `${model.method.toUpperCase()} ${model.path}`, model },
    ]),
  );
}

function compareOperation(
  beforeDoc: OpenAPIV3.Document,
  afterDoc: OpenAPIV3.Document,
  before: Operation,
  after: Operation,
  report: Report,
): void {
  const b = before.model.object;
  const a = after.model.object;
  if (b.operationId !== a.operationId)
    report(
      'operationId',
      `renamed from ${b.operationId ?? '(none)'} to ${a.operationId ?? '(none)'}; ` +
        'generated clients and mock handlers are named after it',
      true,
    );
  if (b.deprecated !== a.deprecated) report('', a.deprecated ? 'deprecated' : 'no longer deprecated', false);
  for (const key of ['summary', 'description', 'tags', 'externalDocs'] as const) {
    if (!isDeepStrictEqual(b[key], a[key])) report(key, 'edited', false);
  }
  compareSecurity(
    beforeDoc,
    afterDoc,
    b.security ?? beforeDoc.security ?? [],
    a.security ?? afterDoc.security ?? [],
    report,
  );
  compareParameters(parameters(before), parameters(after), report);
  compareRequestBody(
    b.requestBody as OpenAPIV3.RequestBodyObject | undefined,
    a.requestBody as OpenAPIV3.RequestBodyObject | undefined,
    report,
  );
  compareResponses(b.responses, a.responses, report);
  const handled = new Set([
    'operationId',
    'deprecated',
    'summary',
    'description',
    'tags',
    'externalDocs',
    'security',
    'parameters',
    'requestBody',
    'responses',
  ]);
  compareRest(b, a, handled, '', report);
}

/** Requirements as comparable strings: `apiKey`, `oauth(read write)`, `a + b` for schemes needed together. */
function requirementSets(security: OpenAPIV3.SecurityRequirementObject[]): Set<string> {
  return new Set(
    security.map(
      (req) =>
        Object.entries(req)
          .map(([scheme, scopes]) => (scopes.length > 0 ? `${scheme}(${[...scopes].sort().join(' ')})` : scheme))
          .sort()
          .join(' + ') || 'anonymous',
    ),
  );
}

/**
 * Security breaks a client when a requirement it could meet is gone, or a scheme it uses now reads its credential
 * from elsewhere. Adding an alternative breaks no one.
 */
function compareSecurity(
  beforeDoc: OpenAPIV3.Document,
  afterDoc: OpenAPIV3.Document,
  before: OpenAPIV3.SecurityRequirementObject[],
  after: OpenAPIV3.SecurityRequirementObject[],
  report: Report,
): void {
  const b = requirementSets(before);
  const a = requirementSets(after);
  const removed = [...b].filter((r) => !a.has(r));
  const added = [...a].filter((r) => !b.has(r));
  if (removed.length > 0) report('security', `changed from [${[...b].join(', ')}] to [${[...a].join(', ')}]`, true);
  else if (added.length > 0) report('security', `alternative added: ${added.join(', ')}`, false);
  const schemes = (doc: OpenAPIV3.Document) =>
    (doc.components?.securitySchemes ?? {}) as Record<string, OpenAPIV3.SecuritySchemeObject>;
  for (const name of new Set(before.flatMap((req) => Object.keys(req)))) {
    const was = schemes(beforeDoc)[name];
    const now = schemes(afterDoc)[name];
    if (!was || !now) continue;
    const { description: _was, ...wasDefinition } = was;
    const { description: _now, ...nowDefinition } = now;
    if (!isDeepStrictEqual(wasDefinition, nowDefinition))
      report(`security scheme ${name}`, 'changed how the credential is sent', true);
    else if (_was !== _now) report(`security scheme ${name}`, 'description edited', false);
  }
}

interface Parameter {
  what: string;
  param: OpenAPIV3.ParameterObject;
}

/** The operation's parameters (path-level ones merged in by model.ts), keyed by what identifies them on the wire. */
function parameters({ model }: Operation): Map<string, Parameter> {
  const positions = [...model.path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const out = new Map<string, Parameter>();
  for (const param of model.parameters) {
    // A path parameter is known by its place in the path (renaming it changes no URL); header names are
    // case-insensitive (RFC 9110, 5.1).
    const key =
      param.in === 'path'
        ? `path #${positions.indexOf(param.name)}`
        : `${param.in} ${param.in === 'header' ? param.name.toLowerCase() : param.name}`;
    out.set(key, { what: `${param.in} parameter ${param.name}`, param });
  }
  return out;
}

function compareParameters(before: Map<string, Parameter>, after: Map<string, Parameter>, report: Report): void {
  for (const [key, { what: was, param: b }] of before) {
    const next = after.get(key);
    if (!next) {
      report(was, 'removed', false);
      continue;
    }
    const { what, param: a } = next;
    if (a.name !== b.name && a.in === 'path') report(what, `renamed from ${b.name}`, false);
    if (!b.required && a.required) report(what, 'now required', true);
    if (b.required && !a.required) report(what, 'now optional', false);
    compareSchema(b.schema as Schema | undefined, a.schema as Schema | undefined, 'request', what, report);
    compareRest(b, a, new Set(['name', 'in', 'required', 'schema']), what, report);
  }
  for (const [key, { what, param }] of after) {
    if (!before.has(key))
      report(what, param.required ? 'new required parameter' : 'new optional parameter', Boolean(param.required));
  }
}

function compareRequestBody(
  before: OpenAPIV3.RequestBodyObject | undefined,
  after: OpenAPIV3.RequestBodyObject | undefined,
  report: Report,
): void {
  const what = 'request body';
  if (!before && !after) return;
  if (!before) {
    report(what, after!.required ? 'new required request body' : 'new optional request body', Boolean(after!.required));
    return;
  }
  if (!after) {
    report(what, 'removed', false);
    return;
  }
  if (!before.required && after.required) report(what, 'now required', true);
  if (before.required && !after.required) report(what, 'now optional', false);
  compareContent(before.content, after.content, 'request', what, report);
  compareRest(before, after, new Set(['required', 'content']), what, report);
}

function compareResponses(before: OpenAPIV3.ResponsesObject, after: OpenAPIV3.ResponsesObject, report: Report): void {
  for (const [status, b] of Object.entries(before) as [string, OpenAPIV3.ResponseObject][]) {
    const what = `response ${status}`;
    const a = after[status] as OpenAPIV3.ResponseObject | undefined;
    if (!a) {
      report(what, 'status code removed', true);
      continue;
    }
    compareResponseHeaders(b.headers ?? {}, a.headers ?? {}, what, report);
    compareContent(b.content, a.content, 'response', what, report);
    compareRest(b, a, new Set(['headers', 'content']), what, report);
  }
  for (const status of Object.keys(after))
    if (!(status in before)) report(`response ${status}`, 'status code added', false);
}

function compareResponseHeaders(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  where: string,
  report: Report,
): void {
  const byName = (headers: Record<string, unknown>) =>
    new Map(Object.entries(headers).map(([name, h]) => [name.toLowerCase(), h as OpenAPIV3.HeaderObject]));
  const b = byName(before);
  const a = byName(after);
  for (const [name, was] of b) {
    const what = `${where} header ${name}`;
    const now = a.get(name);
    if (!now) report(what, 'removed', true);
    else {
      if (was.required && !now.required) report(what, 'no longer always sent', true);
      if (!was.required && now.required) report(what, 'now always sent', false);
      compareSchema(was.schema as Schema | undefined, now.schema as Schema | undefined, 'response', what, report);
      compareRest(was, now, new Set(['required', 'schema']), what, report);
    }
  }
  for (const name of a.keys()) if (!b.has(name)) report(`${where} header ${name}`, 'added', false);
}

function compareContent(
  before: Record<string, OpenAPIV3.MediaTypeObject> | undefined,
  after: Record<string, OpenAPIV3.MediaTypeObject> | undefined,
  direction: Direction,
  where: string,
  report: Report,
): void {
  const b = before ?? {};
  const a = after ?? {};
  for (const [type, media] of Object.entries(b)) {
    const what = `${where} (${type})`;
    const next = a[type];
    if (!next) {
      report(what, direction === 'request' ? 'media type no longer accepted' : 'media type no longer sent', true);
      continue;
    }
    compareSchema(media.schema as Schema | undefined, next.schema as Schema | undefined, direction, what, report);
    compareRest(media, next, new Set(['schema']), what, report);
  }
  for (const type of Object.keys(a)) {
    if (!(type in b))
      report(`${where} (${type})`, direction === 'request' ? 'media type now accepted' : 'media type added', false);
  }
}

const LOWER_BOUNDS = ['minimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
const SCHEMA_KEYS = new Set<string>([
  'type',
  'nullable',
  'format',
  'enum',
  'default',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'pattern',
  'multipleOf',
  'uniqueItems',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'oneOf',
  'anyOf',
  'allOf',
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
]);

/**
 * Compares two schemas at `what` in the given direction. `narrowed` reports a change that refuses values the old
 * schema allowed (breaking for what a client sends), `widened` one that allows values the old schema refused
 * (breaking for what a client reads).
 */
function compareSchema(
  before: Schema | undefined,
  after: Schema | undefined,
  direction: Direction,
  what: string,
  report: Report,
  seen = new Map<object, Set<object>>(),
): void {
  if (before === after) return;
  const b = before ?? {};
  const a = after ?? {};
  // Dereferenced recursive schemas are cyclic: compare each pair of schema objects once.
  const pairs = seen.get(b) ?? new Set<object>();
  if (pairs.has(a)) return;
  seen.set(b, pairs.add(a));

  const narrowed = (message: string) => report(what, message, direction === 'request');
  const widened = (message: string) => report(what, message, direction === 'response');
  const both = (message: string) => report(what, message, true);

  const bTypes = types(b);
  const aTypes = types(a);
  const lost = [...bTypes].filter((t) => !accepts(aTypes, t));
  const gained = [...aTypes].filter((t) => !accepts(bTypes, t));
  const typeNames = (set: Set<string>) => (set.size === 0 ? 'any' : [...set].join(' | '));
  if (lost.length > 0 || gained.length > 0) {
    const message = `type changed from ${typeNames(bTypes)} to ${typeNames(aTypes)}`;
    if (lost.length > 0 && gained.length > 0) both(message);
    else if (lost.length > 0) narrowed(message);
    else widened(message);
  }

  if (b.format !== a.format) {
    if (b.format === undefined) narrowed(`format ${a.format} added`);
    else if (a.format === undefined) widened(`format ${b.format} removed`);
    else both(`format changed from ${b.format} to ${a.format}`);
  }

  if (!isDeepStrictEqual(b.enum, a.enum)) {
    if (!b.enum) narrowed(`now limited to ${list(a.enum!)}`);
    else if (!a.enum) widened(`no longer limited to ${list(b.enum)}`);
    else {
      const removed = b.enum.filter((v) => !a.enum!.some((w) => isDeepStrictEqual(v, w)));
      const added = a.enum.filter((v) => !b.enum!.some((w) => isDeepStrictEqual(v, w)));
      if (removed.length > 0) narrowed(`enum value${removed.length > 1 ? 's' : ''} ${list(removed)} removed`);
      if (added.length > 0) widened(`enum value${added.length > 1 ? 's' : ''} ${list(added)} added`);
    }
  }

  for (const key of LOWER_BOUNDS) {
    if (b[key] === a[key]) continue;
    if (a[key] !== undefined && (b[key] === undefined || a[key] > b[key]))
      narrowed(`${key} raised from ${b[key] ?? 'none'} to ${a[key]}`);
    else widened(`${key} lowered from ${b[key]} to ${a[key] ?? 'none'}`);
  }
  for (const key of UPPER_BOUNDS) {
    if (b[key] === a[key]) continue;
    if (a[key] !== undefined && (b[key] === undefined || a[key] < b[key]))
      narrowed(`${key} lowered from ${b[key] ?? 'none'} to ${a[key]}`);
    else widened(`${key} raised from ${b[key]} to ${a[key] ?? 'none'}`);
  }
  for (const key of ['exclusiveMinimum', 'exclusiveMaximum', 'uniqueItems'] as const) {
    if (Boolean(b[key]) !== Boolean(a[key])) (a[key] ? narrowed : widened)(`${key} ${a[key] ? 'added' : 'removed'}`);
  }
  for (const key of ['pattern', 'multipleOf'] as const) {
    if (b[key] === a[key]) continue;
    if (b[key] === undefined) narrowed(`${key} ${a[key]} added`);
    else if (a[key] === undefined) widened(`${key} ${b[key]} removed`);
    else both(`${key} changed from ${b[key]} to ${a[key]}`);
  }
  if (!isDeepStrictEqual(b.default, a.default)) {
    report(
      what,
      `default changed from ${JSON.stringify(b.default) ?? 'none'} to ${JSON.stringify(a.default) ?? 'none'}`,
      direction === 'request',
    );
  }

  // A changed type is reported once, above, not again as every property or item it takes with it.
  if (isObject(b) && isObject(a)) compareObject(b, a, direction, what, report, seen);
  if (b.type === 'array' && a.type === 'array') {
    compareSchema(
      (b as OpenAPIV3.ArraySchemaObject).items as Schema | undefined,
      (a as OpenAPIV3.ArraySchemaObject).items as Schema | undefined,
      direction,
      `${what}[]`,
      report,
      seen,
    );
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const)
    compareComposition(
      key,
      b[key] as Schema[] | undefined,
      a[key] as Schema[] | undefined,
      direction,
      what,
      report,
      seen,
    );
  compareRest(b, a, SCHEMA_KEYS, what, report);
}

function compareObject(
  b: Schema,
  a: Schema,
  direction: Direction,
  what: string,
  report: Report,
  seen: Map<object, Set<object>>,
): void {
  const narrowed = (message: string) => report(what, message, direction === 'request');
  const widened = (message: string) => report(what, message, direction === 'response');
  const bRequired = new Set(b.required ?? []);
  const aRequired = new Set(a.required ?? []);
  const bProps = b.properties ?? {};
  const aProps = a.properties ?? {};
  // `response 200 (application/json) result.data`: the media type, then the path through the body.
  const child = (name: string) => `${what}${what.endsWith(')') ? ' ' : '.'}${name}`;

  for (const name of aRequired) {
    if (!bRequired.has(name))
      report(child(name), name in bProps ? 'now required' : 'new required property', direction === 'request');
  }
  for (const name of bRequired) {
    if (!aRequired.has(name) && name in aProps) report(child(name), 'no longer required', direction === 'response');
  }
  for (const [name, schema] of Object.entries(bProps)) {
    const next = aProps[name];
    if (next) compareSchema(schema as Schema, next as Schema, direction, child(name), report, seen);
    // A reader loses it; a sender who still sends it is refused only where nothing else may be sent.
    else
      report(
        child(name),
        `${bRequired.has(name) ? 'required ' : ''}property removed`,
        direction === 'response' || a.additionalProperties === false,
      );
  }
  for (const name of Object.keys(aProps)) {
    if (!(name in bProps) && !aRequired.has(name)) report(child(name), 'optional property added', false);
  }

  const bAdditional = b.additionalProperties;
  const aAdditional = a.additionalProperties;
  const open = (value: unknown) => value === undefined || value === true;
  if (open(bAdditional) && aAdditional === false) narrowed('no longer accepts other properties');
  else if (bAdditional === false && open(aAdditional)) widened('now allows other properties');
  else if (typeof bAdditional === 'object' || typeof aAdditional === 'object') {
    compareSchema(
      typeof bAdditional === 'object' ? (bAdditional as Schema) : undefined,
      typeof aAdditional === 'object' ? (aAdditional as Schema) : undefined,
      direction,
      child('*'),
      report,
      seen,
    );
  }
}

/** oneOf/anyOf alternatives by position: one fewer narrows, one more widens; allOf is the other way round. */
function compareComposition(
  key: 'oneOf' | 'anyOf' | 'allOf',
  before: Schema[] | undefined,
  after: Schema[] | undefined,
  direction: Direction,
  what: string,
  report: Report,
  seen: Map<object, Set<object>>,
): void {
  const b = before ?? [];
  const a = after ?? [];
  for (let i = 0; i < Math.min(b.length, a.length); i++)
    compareSchema(b[i], a[i], direction, `${what} ${key}[${i}]`, report, seen);
  if (b.length === a.length) return;
  const fewer = a.length < b.length;
  const narrows = key === 'allOf' ? !fewer : fewer;
  const message = `${key} ${fewer ? 'lost' : 'gained'} ${Math.abs(b.length - a.length)} schema(s)`;
  report(what, message, narrows ? direction === 'request' : direction === 'response');
}

/**
 * Every other key: documentation edits break nothing; anything this module does not classify is reported as
 * breaking, to be reviewed.
 */
function compareRest(before: object, after: object, handled: Set<string>, what: string, report: Report): void {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const docs = unionKeys(b, a).filter(
    (key) => !handled.has(key) && isDocumentation(key) && !isDeepStrictEqual(b[key], a[key]),
  );
  if (docs.length > 0) report(what, `${docs.join(', ')} edited`, false);
  for (const key of unionKeys(b, a)) {
    if (handled.has(key) || isDocumentation(key) || isDeepStrictEqual(b[key], a[key])) continue;
    report(what, `${key} changed (not classified: review it)`, true);
  }
}

/** The types a schema allows; empty when it allows any. `nullable` adds null (OpenAPI 3.0.3, Schema Object). */
function types(schema: Schema): Set<string> {
  if (schema.type === undefined) return new Set();
  return new Set([schema.type, ...(schema.nullable ? ['null'] : [])]);
}

function isObject(schema: Schema): boolean {
  return schema.type === undefined || schema.type === 'object';
}

function accepts(allowed: Set<string>, type: string): boolean {
  return allowed.size === 0 || allowed.has(type) || (type === 'integer' && allowed.has('number'));
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function list(values: unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}
