/**
 * The mock layer's own error catalog (openapi/mock-admin.yaml, MockError): control-API errors and the answers
 * tombstone gives outside any variant (unknown route, unsatisfiable Prefer, a handler's unexpected failure).
 */
import type { components } from '../../generated/mock-admin/types.js';
import { renderError } from './catalog.js';
import type { CatalogEntry, MockResponse } from './types.js';

export type MockErrorCode = components['schemas']['MockError']['error']['code'];

/** Request headers Node's parser accepts (its default; openapi/mock-admin.yaml documents the 431 beyond it). */
export const MAX_HEADER_BYTES = 16 * 1024;

export const mockErrors: Record<MockErrorCode, CatalogEntry> = {
  invalid_request: { status: 400, message: 'The request body must be JSON' },
  prefer_unsatisfiable: { status: 400, message: 'The Prefer header names no documented response' },
  route_not_found: { status: 404, message: 'No such route' },
  variant_not_found: { status: 404, message: 'No such variant' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  duplicate_document: { status: 409, message: 'Document already exists' },
  payload_too_large: { status: 413, message: 'Request body too large' },
  malformed_request: { status: 400, message: 'The request is not valid HTTP/1.1' },
  request_timeout: { status: 408, message: 'The request was not received in time' },
  headers_too_large: { status: 431, message: `The request headers exceed ${MAX_HEADER_BYTES} bytes` },
  docs_not_found: { status: 404, message: 'No such API reference' },
  docs_unavailable: { status: 404, message: 'The API reference could not be built. Try `npm run docs`.' },
  internal_error: { status: 500, message: "The request failed inside the mock. The mock's log has the stack." },
};

/** The MockError envelope. */
export const mockLayer = {
  errors: mockErrors,
  envelope: ({ code, message }: { code: string; message: string }) => ({ error: { code, message } }),
};

export function mockError(code: MockErrorCode, message?: string): MockResponse {
  return renderError(mockLayer, code, message);
}
