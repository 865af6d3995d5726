/**
 * One spec operation as the runner drives it: the OpenAPI model's view of it (src/openapi/model.ts), the spec it
 * belongs to, how its credentials travel and how a call of it goes on the wire. Everything here is read from the
 * (dereferenced) spec, so it holds for any variant and any operation.
 */
import { randomUUID } from 'node:crypto';
import type { OpenAPIV3 } from 'openapi-types';
import type { Spec } from '../conformance.js';
import { TombstoneError } from '../errors.js';
import { allowedNumber } from '../openapi/bounds.js';
import { type OperationModel, operations, securitySchemes } from '../openapi/model.js';

export interface Operation extends OperationModel {
  spec: Spec;
  /** e.g. `openapi/leadlex.yaml`, for the rule a failure cites. */
  file: string;
  /** Upper case, as sent. */
  verb: string;
  schemes: Record<string, OpenAPIV3.SecuritySchemeObject>;
}

/** A call of the operation: its parameters by location, and its body (JSON, or raw bytes with their media type). */
export interface CallParts {
  path: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as it is instead of `body`, with this Content-Type (or none). */
  raw?: { body: string; contentType?: string };
}

export interface HttpRequest {
  method: string;
  url: string;
  /** Exactly the headers sent (fetch adds its defaults, such as User-Agent). */
  headers: Record<string, string>;
  body?: string;
}

/** Every operation of the spec, in document order. */
export function specOperations(spec: Spec, file: string): Operation[] {
  const schemes = securitySchemes(spec.definition);
  return operations(spec.definition).map((op) => ({ ...op, spec, file, verb: op.method.toUpperCase(), schemes }));
}

export function locateOperation(spec: Spec, file: string, operationId: string): Operation {
  const op = specOperations(spec, file).find((o) => o.id === operationId);
  if (!op) throw new TombstoneError(`${file} has no operation ${operationId}; check the variant's contract.ts.`);
  return op;
}

/** The parameters the operation documents at one location (path-level ones included). */
export function parameters(op: Operation, location: 'path' | 'query' | 'header'): OpenAPIV3.ParameterObject[] {
  return op.parameters.filter((p) => p.in === location);
}

/**
 * The header a security scheme's credential travels in: `Authorization: Bearer <token>` for HTTP bearer
 * (RFC 6750, 2.1), the named header for an API key in a header. Other schemes are not used by any variant.
 */
export function credentialHeader(op: Operation, scheme: string, value: string): [string, string] {
  const s = op.schemes[scheme];
  if (s?.type === 'http' && s.scheme.toLowerCase() === 'bearer') return ['authorization', `Bearer ${value}`];
  if (s?.type === 'apiKey' && s.in === 'header') return [s.name.toLowerCase(), value];
  throw new TombstoneError(
    `${op.file}: security scheme ${scheme} is neither HTTP bearer nor an API key in a header; ` +
      'the runner cannot send it.',
  );
}

/**
 * The request for a call: `base` (base URL plus base path) and the path template with each parameter
 * percent-encoded, the query, the headers, the credentials of each scheme given, and the body.
 */
export function buildRequest(
  op: Operation,
  base: string,
  parts: CallParts,
  credentials: Record<string, string> = {},
): HttpRequest {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(parts.path[name] ?? ''));
  const query = new URLSearchParams(parts.query ?? {}).toString();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parts.headers ?? {})) headers[name.toLowerCase()] = value;
  for (const [scheme, value] of Object.entries(credentials)) {
    const [name, header] = credentialHeader(op, scheme, value);
    headers[name] = header;
  }
  const request: HttpRequest = { method: op.verb, url: `${base}${path}${query ? `?${query}` : ''}`, headers };
  if (parts.raw) {
    if (parts.raw.contentType !== undefined) headers['content-type'] = parts.raw.contentType;
    request.body = parts.raw.body;
  } else if (parts.body !== undefined) {
    headers['content-type'] = 'application/json';
    request.body = JSON.stringify(parts.body);
  }
  return request;
}

/** `METHOD /template (operationId)`: how the report names the operation. */
export function describe(op: Operation): string {
  return `${op.verb} ${op.path} (${op.id})`;
}

type Schema = OpenAPIV3.SchemaObject;

/** The JSON schema of the operation's request body, if it takes one. */
export function bodySchema(op: Operation): Schema | undefined {
  return (op.object.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content['application/json']?.schema as
    | Schema
    | undefined;
}

/**
 * A valid call built from the spec alone, for an operation the variant's contract.ts says nothing of: each path
 * parameter and required query or header parameter from its example or schema, the body from the request body's
 * example or schema. IDs made up from a schema name nothing that exists.
 */
export function exampleCall(op: Operation): CallParts {
  const parts: CallParts = { path: {}, query: {}, headers: {} };
  for (const param of op.parameters) {
    if (param.in !== 'path' && !param.required) continue;
    const value = String(firstExample(param.examples, param.example) ?? valueFor(param.schema as Schema));
    if (param.in === 'path') parts.path[param.name] = value;
    else if (param.in === 'query') parts.query![param.name] = value;
    else if (param.in === 'header') parts.headers![param.name] = value;
  }
  const media = (op.object.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content['application/json'];
  if (media) parts.body = firstExample(media.examples, media.example) ?? valueFor(media.schema as Schema);
  return parts;
}

function firstExample(examples: Record<string, unknown> | undefined, example: unknown): unknown {
  if (example !== undefined) return example;
  const first = Object.values(examples ?? {})[0] as OpenAPIV3.ExampleObject | undefined;
  return first?.value;
}

/** A value the schema accepts: its example, default or first enum value, else one made to fit its type and bounds. */
export function valueFor(schema: Schema | undefined): unknown {
  if (!schema) return 'tombstone';
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((name) => [name, valueFor(schema.properties?.[name] as Schema)]),
      );
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => valueFor(schema.items as Schema));
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return allowedNumber(schema);
    default:
      return stringFor(schema);
  }
}

/** A fresh string the schema accepts (a UUID where it asks for one), within its length bounds. */
function stringFor(schema: Schema): string {
  if (schema.format === 'uuid') return randomUUID();
  const text = `tombstone-${randomUUID()}`.slice(0, schema.maxLength ?? Infinity);
  return text.padEnd(schema.minLength ?? 0, 'x');
}
