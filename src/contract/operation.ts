/**
 * One spec operation as the runner drives it: where it lives, which credentials it takes and how a call of it
 * goes on the wire. Everything here is read from the (dereferenced) spec, so it holds for any variant.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { Spec } from '../conformance.js';
import { HTTP_METHODS } from '../openapi/model.js';

export interface Operation {
  spec: Spec;
  /** e.g. `openapi/leadlex.yaml`, for the rule a failure cites. */
  file: string;
  id: string;
  /** Upper case. */
  method: string;
  /** The spec's path template, e.g. `/v1/documents/{id}`. */
  template: string;
  object: OpenAPIV3.OperationObject;
  pathItem: OpenAPIV3.PathItemObject;
  schemes: Record<string, OpenAPIV3.SecuritySchemeObject>;
  /** The Security Requirement Objects that name schemes; each is satisfied by all of its schemes. */
  requirements: string[][];
  /** The spec lists an empty requirement (`{}`): credentials are optional. */
  anonymous: boolean;
}

/** A call of the operation: its parameters by location, and its JSON body. */
export interface CallParts {
  path: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpRequest {
  method: string;
  url: string;
  /** Exactly the headers sent (fetch adds its defaults, such as User-Agent). */
  headers: Record<string, string>;
  body?: string;
}


export function locateOperation(spec: Spec, file: string, operationId: string): Operation {
  for (const [template, pathItem] of Object.entries(spec.definition.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const object = pathItem?.[method];
      if (object?.operationId !== operationId) continue;
      const security = object.security ?? spec.definition.security ?? [];
      return {
        spec,
        file,
        id: operationId,
        method: method.toUpperCase(),
        template,
        object,
        pathItem: pathItem!,
        schemes: (spec.definition.components?.securitySchemes ?? {}) as Record<string, OpenAPIV3.SecuritySchemeObject>,
        requirements: security.map((r) => Object.keys(r)).filter((set) => set.length > 0),
        anonymous: security.some((r) => Object.keys(r).length === 0),
      };
    }
  }
  throw new Error(`no operation ${operationId} in ${file}`);
}

/** The parameters the operation documents, by location (path-level ones included, OpenAPI 3.0.3, Path Item Object). */
export function parameters(op: Operation, location: 'path' | 'query' | 'header'): OpenAPIV3.ParameterObject[] {
  const all = [...(op.pathItem.parameters ?? []), ...(op.object.parameters ?? [])] as OpenAPIV3.ParameterObject[];
  return all.filter((p) => p.in === location);
}

/**
 * The header a security scheme's credential travels in: `Authorization: Bearer <token>` for HTTP bearer
 * (RFC 6750, 2.1), the named header for an API key in a header. Other schemes are not used by any variant.
 */
export function credentialHeader(op: Operation, scheme: string, value: string): [string, string] {
  const s = op.schemes[scheme];
  if (s?.type === 'http' && s.scheme.toLowerCase() === 'bearer') return ['authorization', `Bearer ${value}`];
  if (s?.type === 'apiKey' && s.in === 'header') return [s.name.toLowerCase(), value];
  throw new Error(`${op.file}: security scheme ${scheme} is neither HTTP bearer nor an API key in a header`);
}

/**
 * The request for a call: `base` (base URL plus base path) and the path template with each parameter
 * percent-encoded, the query, the headers, the credentials of each scheme given, and the body as JSON.
 */
export function buildRequest(op: Operation, base: string, parts: CallParts, credentials: Record<string, string> = {}): HttpRequest {
  const path = op.template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(parts.path[name] ?? ''));
  const query = new URLSearchParams(parts.query ?? {}).toString();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parts.headers ?? {})) headers[name.toLowerCase()] = value;
  for (const [scheme, value] of Object.entries(credentials)) {
    const [name, header] = credentialHeader(op, scheme, value);
    headers[name] = header;
  }
  const request: HttpRequest = { method: op.method, url: `${base}${path}${query ? `?${query}` : ''}`, headers };
  if (parts.body !== undefined) {
    headers['content-type'] = 'application/json';
    request.body = JSON.stringify(parts.body);
  }
  return request;
}

/** `METHOD /template (operationId)`: how the report names the operation. */
export function describe(op: Operation): string {
  return `${op.method} ${op.template} (${op.id})`;
}
