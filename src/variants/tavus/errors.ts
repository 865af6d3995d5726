/**
 * Tavus's error catalog. Its `{message}` body has no code, so the stable codes are tombstone's; the messages are
 * the page's ("Invalid access token", "Document not found").
 * https://docs.tavus.io/api-reference/documents/delete-document
 */
import type { Catalog, ErrorRenderer } from '../../mock/catalog.js';

export type ErrorCode = 'invalid_access_token' | 'document_not_found' | 'route_not_found' | 'method_not_allowed' | 'payload_too_large';

export const errors: Catalog<ErrorCode> = {
  invalid_access_token: { status: 401, message: 'Invalid access token' },
  document_not_found: { status: 404, message: 'Document not found' },
  route_not_found: { status: 404, message: 'Not found' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  payload_too_large: { status: 413, message: 'Request body too large' },
};

export const error: ErrorRenderer<ErrorCode> = (code, _ctx, detail) => ({
  status: errors[code].status,
  body: { message: detail ?? errors[code].message },
});
