/**
 * Dify's error catalog, in its `{status, code, message}` envelope: the page's document_indexing (400),
 * archived_document_immutable (403) and not_found (404), plus the codes openapi/dify.yaml adds under `x-assumption`.
 * https://docs.dify.ai — Knowledge API, Delete Document
 */
import type { components } from '../../../generated/dify/types.js';
import type { Catalog, ErrorRenderer } from '../../mock/catalog.js';

type Code = components['schemas']['Error']['code'];
export type ErrorCode = Code | 'dataset_not_found';

export const errors: Catalog<ErrorCode> = {
  document_indexing: { status: 400, message: 'Cannot delete document during indexing.' },
  invalid_param: { status: 400, message: 'Invalid parameter.' },
  unauthorized: { status: 401, message: 'Access token is invalid' },
  archived_document_immutable: { status: 403, message: 'The archived document is not editable.' },
  not_found: { status: 404, message: 'Document Not Exists.' },
  dataset_not_found: { status: 404, message: 'Dataset not found.' },
  method_not_allowed: { status: 405, message: 'The method is not allowed for the requested URL.' },
  request_entity_too_large: { status: 413, message: 'Request body too large.' },
};

/** `dataset_not_found` is Dify's `not_found` code with its own message. */
export const error: ErrorRenderer<ErrorCode> = (code, _ctx, detail) => {
  const { status, message } = errors[code];
  return { status, body: { status, code: code === 'dataset_not_found' ? 'not_found' : code, message: detail ?? message } };
};
