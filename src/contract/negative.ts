/**
 * Negative data for `negative_data_rejection`: a valid call with one part made invalid against its schema: a
 * parameter or body field too long, too short, past a numeric bound or off its `multipleOf` (src/openapi/bounds.ts),
 * of the wrong format or type (a scalar, an array or an object where another is expected, an item of the wrong
 * type), a required field left out, an unknown field where none is allowed. Every candidate is run through the
 * spec's own generated validator and kept only if it rejects it, so the runner never calls a request invalid that
 * the spec accepts. A JSON body is also sent as bytes that are not JSON, as truncated JSON and under another media
 * type: the request body's `content` allows none of them.
 * Like Schemathesis's negative testing: https://schemathesis.readthedocs.io/en/stable/explanations/data-generation/
 */
import type { OpenAPIV3 } from 'openapi-types';
import { outOfBounds } from '../openapi/bounds.js';
import { bodySchema, type CallParts, type Operation, parameters } from './operation.js';

export interface NegativeCall {
  /** What was made invalid, e.g. `query parameter hard: not a boolean`. */
  title: string;
  /** The schema rule it breaks, e.g. `query parameter hard: type boolean`. */
  rule: string;
  parts: CallParts;
}

interface Mutation {
  /** Where in the part, e.g. `body.data.documentIds`. */
  where: string;
  title: string;
  /** The schema keyword broken, e.g. `minItems 1`. */
  rule: string;
  /** The whole part with the mutation applied. */
  value: unknown;
}

type Schema = OpenAPIV3.SchemaObject;

/** The invalid calls derived from `valid`, one broken rule each. */
export function negativeCalls(op: Operation, valid: CallParts): NegativeCall[] {
  const mutations: { mutation: Mutation; parts: CallParts }[] = [];
  const locations = [
    ['path', 'path', 'path parameter'],
    ['query', 'query', 'query parameter'],
    ['header', 'headers', 'header'],
  ] as const;
  for (const [location, part, label] of locations) {
    for (const param of parameters(op, location)) {
      const name = location === 'header' ? param.name.toLowerCase() : param.name;
      // An empty parameter moves the request to another route (path) or reads as absent: no test of its value.
      for (const m of scalarMutations(param.schema as Schema, `${label} ${param.name}`, true).filter(
        (m) => m.value !== '',
      )) {
        mutations.push({ mutation: m, parts: { ...valid, [part]: { ...valid[part], [name]: String(m.value) } } });
      }
    }
  }
  const body = bodySchema(op);
  if (body && valid.body !== undefined) {
    for (const m of valueMutations(body, valid.body, 'body'))
      mutations.push({ mutation: m, parts: { ...valid, body: m.value } });
  }
  const schemaCalls = mutations
    .filter(({ parts }) => rejects(op, parts))
    .map(({ mutation: m, parts }) => ({ title: `${m.where}: ${m.title}`, rule: `${m.where}: ${m.rule}`, parts }));
  return body && valid.body !== undefined ? [...schemaCalls, ...rawBodies(valid)] : schemaCalls;
}

/** The valid body as bytes the request body's `content` (application/json only) does not allow. */
function rawBodies(valid: CallParts): NegativeCall[] {
  const json = JSON.stringify(valid.body);
  const rule = 'requestBody.content: application/json';
  const raw = (title: string, body: string, contentType: string): NegativeCall => ({
    title: `body: ${title}`,
    rule,
    parts: { ...valid, raw: { body, contentType } },
  });
  return [
    raw('not JSON', 'tombstone: this is not JSON', 'application/json'),
    raw('truncated JSON', json.slice(0, Math.ceil(json.length / 2)), 'application/json'),
    raw('JSON sent as text/plain', json, 'text/plain'),
  ];
}

/** True when the spec's validators reject some part of the call. */
export function rejects(op: Operation, parts: CallParts): boolean {
  const request = op.spec.validators[op.id]!.request;
  // The generated parameter validators coerce in place: validate copies.
  const checks: [((data: unknown) => boolean) | undefined, unknown][] = [
    [request.path, { ...parts.path }],
    [request.query, { ...parts.query }],
    [request.headers, { ...parts.headers }],
    [request.body, structuredClone(parts.body)],
  ];
  return checks.some(([validate, data]) => validate !== undefined && !validate(data));
}

/** Invalid versions of `value` against `schema`, each returned as the whole value with one place broken. */
function valueMutations(schema: Schema, value: unknown, where: string): Mutation[] {
  if (schema.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const out: Mutation[] = [];
    for (const name of schema.required ?? []) {
      const { [name]: _, ...rest } = object;
      out.push({ where, title: `without ${name}`, rule: `required ${name}`, value: rest });
    }
    out.push(...wrongTypes(where, 'object', [[], 'tombstone']));
    if (schema.additionalProperties === false) {
      out.push({
        where,
        title: 'with an unknown property',
        rule: 'additionalProperties false',
        value: { ...object, tombstone_unexpected: true },
      });
    }
    for (const [name, child] of Object.entries(schema.properties ?? {}) as [string, Schema][]) {
      if (!(name in object)) continue;
      for (const m of valueMutations(child, object[name], `${where}.${name}`))
        out.push({ ...m, value: { ...object, [name]: m.value } });
    }
    return out;
  }
  if (schema.type === 'array' && Array.isArray(value)) {
    const out: Mutation[] = wrongTypes(where, 'array', [{}, 'tombstone']);
    if (schema.minItems)
      out.push({ where, title: `fewer than ${schema.minItems} items`, rule: `minItems ${schema.minItems}`, value: [] });
    if (schema.maxItems !== undefined && value.length > 0) {
      out.push({
        where,
        title: `${schema.maxItems + 1} items`,
        rule: `maxItems ${schema.maxItems}`,
        value: Array.from({ length: schema.maxItems + 1 }, () => value[0]),
      });
    }
    const items = schema.items as Schema | undefined;
    if (items && value.length > 0) {
      for (const m of valueMutations(items, value[0], `${where}[0]`))
        out.push({ ...m, value: [m.value, ...value.slice(1)] });
    }
    return out;
  }
  return scalarMutations(schema, where, false, value);
}

/**
 * Values breaking one rule of a scalar schema. `asText`: the value travels as text (a parameter), so a wrong
 * JSON type cannot be sent; a boolean or number parameter gets a word instead. Otherwise the valid value `current`
 * is also sent wrapped in an array and in an object, so that a server taking the wrapped value shows it.
 */
function scalarMutations(schema: Schema | undefined, where: string, asText: boolean, current?: unknown): Mutation[] {
  if (!schema) return [];
  const out: Mutation[] = [];
  if (schema.type === 'string') {
    if (schema.maxLength !== undefined)
      out.push({
        where,
        title: `${schema.maxLength + 1} characters`,
        rule: `maxLength ${schema.maxLength}`,
        value: 'x'.repeat(schema.maxLength + 1),
      });
    if (schema.minLength) out.push({ where, title: 'empty', rule: `minLength ${schema.minLength}`, value: '' });
    if (schema.format === 'uuid') out.push({ where, title: 'not a UUID', rule: 'format uuid', value: 'not-a-uuid' });
    if (schema.enum)
      out.push({
        where,
        title: 'not one of its values',
        rule: `enum ${schema.enum.join(', ')}`,
        value: 'tombstone-not-in-enum',
      });
    if (!asText) out.push(...wrongTypes(where, 'string', [42, [current], { value: current }]));
  } else if (schema.type === 'boolean' || schema.type === 'integer' || schema.type === 'number') {
    out.push({
      where,
      title: `not ${schema.type === 'integer' ? 'an' : 'a'} ${schema.type}`,
      rule: `type ${schema.type}`,
      value: asText ? `not-a-${schema.type}` : 'not-a-value',
    });
    if (schema.type !== 'boolean')
      for (const { title, rule, value } of outOfBounds(schema)) out.push({ where, title, rule, value });
    if (!asText) out.push(...wrongTypes(where, schema.type, [[current], { value: current }]));
  }
  return out;
}

/** `value` in place of a `type`: a number, an array, an object or a string where the schema wants another type. */
function wrongTypes(where: string, type: string, values: unknown[]): Mutation[] {
  return values.map((value) => ({ where, title: jsonType(value), rule: `type ${type}`, value }));
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
