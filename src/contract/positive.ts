/**
 * Positive data for `positive_data_acceptance`: a valid call varied in one place within what its schema allows:
 * a string at its shortest and longest, a number at the least and greatest its bounds allow (src/openapi/bounds.ts),
 * each enum and boolean value, an optional parameter or property that the call leaves out, an array with one item
 * more. Every candidate is run through the spec's own generated validators and kept only if they accept it, so the
 * runner never calls a request valid that the spec rejects.
 * Like Schemathesis's positive_data_acceptance: https://schemathesis.readthedocs.io/en/stable/reference/checks/
 */
import { randomUUID } from 'node:crypto';
import type { OpenAPIV3 } from 'openapi-types';
import { allowedRange } from '../openapi/bounds.js';
import { rejects } from './negative.js';
import { bodySchema, type CallParts, type Operation, valueFor } from './operation.js';

export interface PositiveCall {
  /** What was varied, e.g. `query parameter hard: false`. */
  title: string;
  parts: CallParts;
}

type Schema = OpenAPIV3.SchemaObject;

/** Strings longer than this are not sent at their longest: a limit that high is not what a server gets wrong. */
const LONGEST_SENT = 1024;

/** The valid calls derived from `valid`, one variation each. */
export function positiveCalls(op: Operation, valid: CallParts): PositiveCall[] {
  const calls: PositiveCall[] = [];
  const locations = [
    ['path', 'path', 'path parameter'],
    ['query', 'query', 'query parameter'],
    ['header', 'headers', 'header'],
  ] as const;
  for (const param of op.parameters) {
    const location = locations.find(([l]) => l === param.in);
    if (!location) continue;
    const [, part, label] = location;
    const name = param.in === 'header' ? param.name.toLowerCase() : param.name;
    const schema = param.schema as Schema | undefined;
    const current = valid[part]?.[name];
    // An optional parameter the call leaves out is sent with each value the runner finds for it.
    const found = scalarVariants(schema, current);
    const variants = found.length > 0 || current !== undefined ? found : [['present', valueFor(schema)] as const];
    for (const [title, value] of variants) {
      calls.push({
        title: `${label} ${param.name}: ${title}`,
        parts: { ...valid, [part]: { ...valid[part], [name]: String(value) } },
      });
    }
  }
  const body = bodySchema(op);
  if (body && valid.body !== undefined) {
    for (const [title, value] of valueVariants(body, valid.body, 'body'))
      calls.push({ title, parts: { ...valid, body: value } });
  }
  return calls.filter(({ parts }) => !rejects(op, parts));
}

/** Valid versions of `value` against `schema`, each the whole value varied in one place, with a title. */
function valueVariants(schema: Schema, value: unknown, where: string): [string, unknown][] {
  if (schema.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const out: [string, unknown][] = [];
    for (const [name, child] of Object.entries(schema.properties ?? {}) as [string, Schema][]) {
      if (!(name in object)) {
        out.push([`${where}.${name}: present`, { ...object, [name]: valueFor(child) }]);
        continue;
      }
      for (const [title, v] of valueVariants(child, object[name], `${where}.${name}`))
        out.push([title, { ...object, [name]: v }]);
    }
    return out;
  }
  if (schema.type === 'array' && Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    const out: [string, unknown][] = [];
    if ((schema.maxItems ?? Infinity) > value.length)
      out.push([`${where}: ${value.length + 1} items`, [...value, valueFor(items)]]);
    if (items && value.length > 0) {
      for (const [title, v] of valueVariants(items, value[0], `${where}[0]`)) out.push([title, [v, ...value.slice(1)]]);
    }
    return out;
  }
  return scalarVariants(schema, value).map(([title, v]) => [`${where}: ${title}`, v]);
}

/** Other values a scalar schema allows than `current`. */
function scalarVariants(schema: Schema | undefined, current: unknown): [string, unknown][] {
  if (!schema) return [];
  const out: [string, unknown][] = [];
  if (schema.enum) for (const v of schema.enum) if (v !== current) out.push([String(v), v]);
  if (schema.type === 'boolean') out.push(['true', true], ['false', false]);
  if (schema.type === 'integer' || schema.type === 'number') {
    // The values nearest each bound, exclusive (3.0's boolean or 3.1's number) or not.
    const { least, greatest } = allowedRange(schema);
    if (least !== undefined) out.push([`its least value ${least}`, least]);
    if (greatest !== undefined) out.push([`its greatest value ${greatest}`, greatest]);
  }
  if (schema.type === 'string' && !schema.enum && !schema.pattern) {
    if (schema.format === 'uuid') out.push(['a fresh UUID', randomUUID()]);
    else if (!schema.format) {
      if (schema.maxLength !== undefined && schema.maxLength <= LONGEST_SENT)
        out.push([`${schema.maxLength} characters`, fill(schema.maxLength)]);
      if ((schema.minLength ?? 0) > 0) out.push([`${schema.minLength} characters`, fill(schema.minLength!)]);
    }
  }
  return out;
}

/** A fresh string of exactly `length` characters. */
function fill(length: number): string {
  return `t${randomUUID().replaceAll('-', '')}`.padEnd(length, 'x').slice(0, length);
}
