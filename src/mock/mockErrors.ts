/**
 * The mock layer's own error catalog (openapi/mock-admin.yaml, MockError): control-API errors and the answers
 * tombstone gives outside any variant (unknown route, unsatisfiable Prefer).
 */
import type { components } from '../../generated/mock-admin/types.js';
import type { Catalog, ErrorRenderer } from './catalog.js';
import type { MockResponse } from './types.js';

export type MockErrorCode = components['schemas']['MockError']['error']['code'];

/** Request headers Node's parser accepts (its default; openapi/mock-admin.yaml documents the 431 beyond it). */
export const MAX_HEADER_BYTES = 16 * 1024;

export const mockErrors: Catalog<MockErrorCode> = {
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
};

export function mockError(code: MockErrorCode, message?: string): MockResponse {
  return { status: mockErrors[code].status, body: { error: { code, message: message ?? mockErrors[code].message } } };
}

export const renderMockError: ErrorRenderer<MockErrorCode> = (code, _ctx, detail) => mockError(code, detail);
