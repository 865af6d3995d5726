/**
 * 1Flow's error catalog, in the page's `{error}` body: 400 missing or invalid docId, 401 invalid or missing
 * webhook secret, 404 invalid webhook ID or document not found.
 */
import type { CatalogEntry, PipelineFailure } from '../../mock/types.js';

export type ErrorCode =
  | 'invalid_doc_id'
  | 'invalid_json'
  | 'invalid_secret'
  | 'webhook_not_found'
  | 'document_not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'payload_too_large';

/** `exact`: the body always carries the catalog's message, whatever the detail. */
export type Entry = CatalogEntry & { exact?: true };

export const errors: Record<ErrorCode, Entry> = {
  invalid_doc_id: { status: 400, message: 'Missing or invalid docId in request body', exact: true },
  invalid_json: { status: 400, message: 'Request body must be a JSON object' },
  invalid_secret: { status: 401, message: 'Invalid or missing webhook secret' },
  webhook_not_found: { status: 404, message: 'Webhook not found' },
  document_not_found: { status: 404, message: 'Document not found' },
  route_not_found: { status: 404, message: 'Not found' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  payload_too_large: { status: 413, message: 'Request body too large' },
};

/** The page's 400 says only "Missing or invalid docId in request body", whatever the validator found. */
export const envelope = ({ message, entry }: { message: string; entry: Entry }) => ({
  error: entry.exact ? entry.message : message,
});

/** A body that is not JSON reads as an empty one, as with Express's json parser: docId is missing. */
export const failures: Record<PipelineFailure['kind'], ErrorCode> = {
  routeNotFound: 'route_not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'invalid_doc_id',
  invalidJson: 'invalid_json',
  unauthorized: 'invalid_secret',
  invalidRequest: 'invalid_doc_id',
};
