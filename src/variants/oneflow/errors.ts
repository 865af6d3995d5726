/**
 * 1Flow's error catalog, in the page's `{error}` body: 400 missing or invalid docId, 401 invalid or missing
 * webhook secret, 404 invalid webhook ID or document not found.
 */
import type { Catalog, ErrorRenderer } from '../../mock/catalog.js';

export type ErrorCode =
  | 'invalid_doc_id'
  | 'invalid_json'
  | 'invalid_secret'
  | 'webhook_not_found'
  | 'document_not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'payload_too_large';

export const errors: Catalog<ErrorCode> = {
  invalid_doc_id: { status: 400, message: 'Missing or invalid docId in request body' },
  invalid_json: { status: 400, message: 'Request body must be a JSON object' },
  invalid_secret: { status: 401, message: 'Invalid or missing webhook secret' },
  webhook_not_found: { status: 404, message: 'Webhook not found' },
  document_not_found: { status: 404, message: 'Document not found' },
  route_not_found: { status: 404, message: 'Not found' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  payload_too_large: { status: 413, message: 'Request body too large' },
};

/** The page's 400 says only "Missing or invalid docId in request body", whatever the validator found. */
export const error: ErrorRenderer<ErrorCode> = (code, _ctx, detail) => ({
  status: errors[code].status,
  body: { error: code === 'invalid_doc_id' ? errors[code].message : (detail ?? errors[code].message) },
});
