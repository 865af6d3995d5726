/**
 * The OpenAPI model: the one place that walks a (bundled, dereferenced) definition. Everything that needs the
 * operations of a spec, their security requirements, parameters and responses, or the spec's servers, asks here,
 * as openapi-typescript keeps one module per OpenAPI object. Free of Node built-ins: the mock core uses it too.
 * https://spec.openapis.org/oas/v3.0.3
 */
import type { ValidateFunction } from 'ajv';
import type { OpenAPIV3 } from 'openapi-types';

/** The Path Item fields that hold operations (OpenAPI 3.0.3, Path Item Object). */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** An operation's Security Requirement Objects, read once. */
export interface SecurityRequirements {
  /** The requirements that name schemes; each is satisfied by all of its schemes. */
  sets: string[][];
  /** Every scheme any requirement names, once each. */
  schemes: string[];
  /** The spec lists an empty requirement (`{}`), or none at all: credentials are optional. */
  anonymous: boolean;
}

export interface OperationModel {
  /** Every operation of tombstone's specs has one (lint: operation-operationId). */
  id: string;
  /** Lower case, as in the Path Item. */
  method: HttpMethod;
  /** The path template, e.g. `/v1/documents/{id}`. */
  path: string;
  object: OpenAPIV3.OperationObject;
  pathItem: OpenAPIV3.PathItemObject;
  /** Path-level and operation-level parameters, the operation's winning on the same name and location. */
  parameters: OpenAPIV3.ParameterObject[];
  security: SecurityRequirements;
  responses: OpenAPIV3.ResponsesObject;
  /** The media types of the request body (Request Body Object `content`); empty when there is no body. */
  mediaTypes: string[];
}

/** The generated validators of one operation (generated/<spec>/validators.js): request parts, documented responses. */
export interface OperationValidators {
  request: Partial<Record<'path' | 'query' | 'headers' | 'body', ValidateFunction>>;
  responses: Record<string, Partial<Record<'body' | 'headers', ValidateFunction>>>;
}

/** The operations of a definition, in document order. */
export function operations(definition: OpenAPIV3.Document): OperationModel[] {
  const out: OperationModel[] = [];
  for (const [path, pathItem] of Object.entries(definition.paths ?? {})) {
    if (!pathItem) continue;
    for (const method of HTTP_METHODS) {
      const object = pathItem[method];
      if (!object) continue;
      out.push({
        id: object.operationId ?? `${method} ${path}`,
        method,
        path,
        object,
        pathItem,
        parameters: mergeParameters(definition, pathItem.parameters, object.parameters),
        security: securityRequirements(object.security ?? definition.security ?? []),
        responses: object.responses,
        mediaTypes: Object.keys((object.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content ?? {}),
      });
    }
  }
  return out;
}

/** The operation with this operationId, or undefined. */
export function findOperation(definition: OpenAPIV3.Document, operationId: string): OperationModel | undefined {
  return operations(definition).find((op) => op.id === operationId);
}

export function securityRequirements(security: OpenAPIV3.SecurityRequirementObject[]): SecurityRequirements {
  const requirements = security.map((requirement) => Object.keys(requirement));
  const sets = requirements.filter((set) => set.length > 0);
  return {
    sets,
    schemes: [...new Set(sets.flat())],
    anonymous: sets.length === 0 || requirements.some((set) => set.length === 0),
  };
}

export function securitySchemes(definition: OpenAPIV3.Document): Record<string, OpenAPIV3.SecuritySchemeObject> {
  return (definition.components?.securitySchemes ?? {}) as Record<string, OpenAPIV3.SecuritySchemeObject>;
}

function mergeParameters(
  definition: OpenAPIV3.Document,
  pathLevel: OpenAPIV3.PathItemObject['parameters'],
  operationLevel: OpenAPIV3.OperationObject['parameters'],
): OpenAPIV3.ParameterObject[] {
  const byKey = new Map<string, OpenAPIV3.ParameterObject>();
  for (const ref of [...(pathLevel ?? []), ...(operationLevel ?? [])]) {
    const p = resolveRef<OpenAPIV3.ParameterObject>(definition, ref);
    byKey.set(`${p.in}:${p.name}`, p);
  }
  return [...byKey.values()];
}

/**
 * The object a local `$ref` (`#/components/...`) points to, following chains; any other node as it is. A bundled
 * definition whose `$ref`s are kept (the generator's) needs it; a dereferenced one has none to follow.
 */
export function resolveRef<T>(definition: OpenAPIV3.Document, node: T | OpenAPIV3.ReferenceObject): T {
  let current: unknown = node;
  while (current && typeof current === 'object' && '$ref' in current) {
    const pointer = (current as OpenAPIV3.ReferenceObject).$ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = pointer.reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], definition);
  }
  return current as T;
}

/** Every header name any response of the definition documents. */
export function documentedResponseHeaders(definition: OpenAPIV3.Document): string[] {
  const names = new Set<string>();
  for (const op of operations(definition)) {
    for (const response of Object.values(op.responses) as OpenAPIV3.ResponseObject[]) {
      for (const name of Object.keys(response.headers ?? {})) names.add(name);
    }
  }
  return [...names];
}

/** The origin tombstone's mock serves every spec from; each spec has a server entry below it. */
export const MOCK_ORIGIN = 'http://localhost:4010';

/** The path of the spec's tombstone server entry (`http://localhost:4010/<variant>/...`) below its mount point. */
export function mockBasePath(definition: OpenAPIV3.Document): string {
  const server = definition.servers?.find((s) => s.url === MOCK_ORIGIN || s.url.startsWith(`${MOCK_ORIGIN}/`));
  if (!server)
    throw new Error(
      `[tombstone] ${definition.info.title}: the spec has no ${MOCK_ORIGIN}/<variant> server entry; add one.`,
    );
  return new URL(server.url).pathname
    .split('/')
    .slice(2)
    .map((s) => `/${s}`)
    .join('')
    .replace(/\/$/, '');
}

/** The spec's first server that is not the local mock, its variables at their defaults; undefined when there is none. */
export function productionServer(definition: OpenAPIV3.Document): URL | undefined {
  const server = definition.servers?.find((s) => !s.url.startsWith(MOCK_ORIGIN));
  if (!server) return undefined;
  return new URL(
    server.url.replace(/\{(\w+)\}/g, (_, name: string) => String(server.variables?.[name]?.default ?? '')),
  );
}
