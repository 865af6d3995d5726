/**
 * LeadLex's error catalog: the page's codes (401 invalid_key, 403 insufficient_permissions, 404 not_found,
 * 409 in_use, 429 rate_limited) plus the ones openapi/leadlex.yaml adds under `x-assumption`.
 * https://docs.leadlex.com (Delete Document, Errors)
 */
import type { components } from '../../../generated/leadlex/types.js';
import type { CatalogEntry, PipelineFailure } from '../../mock/types.js';

export type ErrorCode = components['schemas']['Error']['error']['code'];

export const errors: Record<ErrorCode, CatalogEntry> = {
  invalid_request: { status: 400, message: 'The request is malformed' },
  invalid_key: { status: 401, message: 'Invalid or expired API key' },
  insufficient_permissions: { status: 403, message: 'Missing write:documents (or admin:documents when hard=true)' },
  not_found: { status: 404, message: 'Document not found' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  in_use: { status: 409, message: 'Document is referenced by a workflow or template and cannot be deleted' },
  idempotency_key_in_use: { status: 409, message: 'A request with this Idempotency-Key is still being processed' },
  payload_too_large: { status: 413, message: 'Request body too large' },
  idempotency_key_reused: { status: 422, message: 'This Idempotency-Key was used with a different request' },
  rate_limited: { status: 429, message: 'Rate limit exceeded' },
};

/** `request_id` is filled in by `decorate`, which also sets the matching X-Request-ID header. */
export const envelope = ({ code, message }: { code: ErrorCode; message: string }) => ({
  error: { code, message, request_id: '' },
});

export const failures: Record<PipelineFailure['kind'], ErrorCode> = {
  routeNotFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'invalid_request',
  invalidJson: 'invalid_request',
  unauthorized: 'invalid_key',
  invalidRequest: 'invalid_request',
};
