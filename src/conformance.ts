/**
 * Does an observed HTTP response honour the spec? The checks are named after Schemathesis's, so users recognise
 * them. Used by the contract tests and the contract runner alike.
 * https://schemathesis.readthedocs.io/en/stable/reference/checks/
 */

import type { ValidateFunction } from 'ajv';
import contentType from 'content-type';
import type { OpenAPIV3 } from 'openapi-types';
import { TombstoneError } from './errors.js';
import { findOperation, type OperationValidators } from './openapi/model.js';

/** The response checks, in the order reports list them. */
export const RESPONSE_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
] as const;

export type CheckName = (typeof RESPONSE_CHECKS)[number];

export interface Violation {
  check: CheckName;
  message: string;
}

export interface ObservedResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** The body as received (empty string when there is none). */
  body: string;
}

export interface Spec {
  definition: OpenAPIV3.Document;
  validators: Record<string, OperationValidators>;
}

/**
 * Headers any HTTP/1.1 server or the CORS protocol adds; everything else a response carries must be documented.
 * https://www.rfc-editor.org/rfc/rfc9110 (Date, Content-Length, ...), https://fetch.spec.whatwg.org/#http-responses (CORS)
 */
const PROTOCOL_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'content-type',
  'transfer-encoding',
  'vary',
]);

function isProtocolHeader(name: string): boolean {
  return PROTOCOL_HEADERS.has(name) || name.startsWith('access-control-');
}

/** The Responses Object key documenting `status`: the code itself, else `default` (OpenAPI 3.0.3, Responses Object). */
export function responseKey(responses: OpenAPIV3.ResponsesObject, status: number): string | undefined {
  return String(status) in responses ? String(status) : 'default' in responses ? 'default' : undefined;
}

/** `tolerate`: undocumented headers to accept (the contract runner's allowed and infrastructure headers). */
export interface CheckOptions {
  tolerate?(name: string): boolean;
}

/** Every way `observed` departs from what `operationId` documents. Empty when it conforms. */
export function checkResponse(
  spec: Spec,
  operationId: string,
  observed: ObservedResponse,
  options: CheckOptions = {},
): Violation[] {
  const operation = findOperation(spec.definition, operationId);
  if (!operation)
    throw new TombstoneError(`${spec.definition.info.title} has no operation ${operationId}; check the operationId.`);
  const { responses } = operation;
  const violations: Violation[] = [];
  if (observed.status >= 500)
    violations.push({ check: 'not_a_server_error', message: `server error ${observed.status}` });
  const key = responseKey(responses, observed.status);
  if (!key) {
    const documented = Object.keys(responses).join(', ');
    violations.push({
      check: 'status_code_conformance',
      message: `${observed.status} is not documented for ${operationId}; documented: ${documented}`,
    });
    return violations;
  }
  const response = responses[key] as OpenAPIV3.ResponseObject;
  const validators = spec.validators[operationId]?.responses[key] ?? {};
  return [...violations, ...checkDocumentedResponse(response, validators, observed, `${operationId} ${key}`, options)];
}

/** Checks against one Response Object: headers, media type and body schema. */
export function checkDocumentedResponse(
  response: OpenAPIV3.ResponseObject,
  validators: Partial<Record<'body' | 'headers', ValidateFunction>>,
  observed: ObservedResponse,
  where: string,
  options: CheckOptions = {},
): Violation[] {
  const violations: Violation[] = [];
  const documented = new Set(Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()));
  for (const [name, header] of Object.entries(response.headers ?? {}) as [string, OpenAPIV3.HeaderObject][]) {
    if (header.required && observed.headers[name.toLowerCase()] === undefined) {
      violations.push({
        check: 'response_headers_conformance',
        message: `${where}: required header ${name} is missing`,
      });
    }
  }
  for (const name of Object.keys(observed.headers)) {
    if (!documented.has(name) && !isProtocolHeader(name) && !options.tolerate?.(name)) {
      violations.push({ check: 'response_headers_conformance', message: `${where}: header ${name} is not documented` });
    }
  }
  if (validators.headers) {
    const present = Object.fromEntries(
      [...documented].filter((h) => observed.headers[h] !== undefined).map((h) => [h, observed.headers[h]]),
    );
    if (!validators.headers(present)) {
      violations.push({
        check: 'response_headers_conformance',
        message: `${where}: headers ${formatErrors(validators.headers)}`,
      });
    }
  }
  const media = Object.keys(response.content ?? {});
  const sent = observed.headers['content-type'];
  const contentType = sent === undefined ? undefined : mediaType(sent);
  if (contentType === null) {
    // fetch joins a header sent twice with ", ", which no single media type contains unquoted.
    violations.push({
      check: 'content_type_conformance',
      message: `${where}: content-type '${sent}' is not one media type (sent twice?)`,
    });
    return violations;
  }
  if (media.length === 0) {
    if (observed.body !== '')
      violations.push({
        check: 'content_type_conformance',
        message: `${where}: documents no body, got ${observed.body.length} bytes`,
      });
    return violations;
  }
  if (!contentType || !media.includes(contentType)) {
    violations.push({
      check: 'content_type_conformance',
      message: `${where}: content-type ${contentType ?? '(none)'} is not one of ${media.join(', ')}`,
    });
    return violations;
  }
  // Only JSON bodies have a schema to check; an HTML page (the landing page) is checked for its media type alone.
  if (contentType !== 'application/json' && !contentType.endsWith('+json')) return violations;
  let body: unknown;
  try {
    body = JSON.parse(observed.body);
  } catch {
    violations.push({
      check: 'response_schema_conformance',
      message: `${where}: body is not JSON: ${observed.body.slice(0, 80)}`,
    });
    return violations;
  }
  if (validators.body && !validators.body(body)) {
    violations.push({
      check: 'response_schema_conformance',
      message: `${where}: body ${formatErrors(validators.body)}`,
    });
  }
  return violations;
}

/** The media type of a Content-Type value (RFC 9110, 8.3.1), lower-case; null when it is not one well-formed one. */
function mediaType(value: string): string | null {
  try {
    return contentType.parse(value).type;
  } catch {
    return null;
  }
}

function formatErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map(
      (e) =>
        `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${String(e.params['additionalProperty'])})` : ''}`,
    )
    .join('; ');
}
