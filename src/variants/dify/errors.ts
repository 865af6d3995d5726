/**
 * Dify's error catalog, in its `{status, code, message}` envelope: the page's document_indexing (400),
 * archived_document_immutable (403) and not_found (404), plus the codes openapi/dify.yaml adds under `x-assumption`.
 * https://docs.dify.ai — Knowledge API, Delete Document
 */
import type { components } from '../../../generated/dify/types.js';
import type { CatalogEntry, PipelineFailure } from '../../mock/types.js';

type Code = components['schemas']['Error']['code'];
export type ErrorCode = Code | 'dataset_not_found';
/** `wire`: the code the body carries when it is not the catalog's own (`dataset_not_found` is Dify's `not_found`). */
export type Entry = CatalogEntry & { wire?: Code };

export const errors: Record<ErrorCode, Entry> = {
  document_indexing: { status: 400, message: 'Cannot delete document during indexing.' },
  invalid_param: { status: 400, message: 'Invalid parameter.' },
  unauthorized: { status: 401, message: 'Access token is invalid' },
  archived_document_immutable: { status: 403, message: 'The archived document is not editable.' },
  not_found: { status: 404, message: 'Document Not Exists.' },
  dataset_not_found: { status: 404, message: 'Dataset not found.', wire: 'not_found' },
  method_not_allowed: { status: 405, message: 'The method is not allowed for the requested URL.' },
  request_entity_too_large: { status: 413, message: 'Request body too large.' },
};

export const envelope = ({ code, message, entry }: { code: ErrorCode; message: string; entry: Entry }) => ({
  status: entry.status,
  code: entry.wire ?? code,
  message,
});

export const failures: Record<PipelineFailure['kind'], ErrorCode> = {
  routeNotFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'request_entity_too_large',
  unsupportedMediaType: 'invalid_param',
  invalidJson: 'invalid_param',
  unauthorized: 'unauthorized',
  invalidRequest: 'invalid_param',
};
