/**
 * Tavus's error catalog. Its `{message}` body has no code, so the stable codes are tombstone's; the messages are
 * the page's ("Invalid access token", "Document not found").
 * https://docs.tavus.io/api-reference/documents/delete-document
 */
import type { CatalogEntry, PipelineFailure } from '../../mock/types.js';

export type ErrorCode =
  | 'invalid_access_token'
  | 'document_not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'payload_too_large';

export const errors: Record<ErrorCode, CatalogEntry> = {
  invalid_access_token: { status: 401, message: 'Invalid access token' },
  document_not_found: { status: 404, message: 'Document not found' },
  route_not_found: { status: 404, message: 'Not found' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  payload_too_large: { status: 413, message: 'Request body too large' },
};

export const envelope = ({ message }: { message: string }) => ({ message });

/** Tavus documents no 400: an ID that cannot be valid names no document. */
export const failures: Record<PipelineFailure['kind'], ErrorCode> = {
  routeNotFound: 'route_not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'document_not_found',
  invalidJson: 'document_not_found',
  unauthorized: 'invalid_access_token',
  invalidRequest: 'document_not_found',
};
