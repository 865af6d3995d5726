/**
 * Tavus `deleteDocument` (DELETE /v2/documents/{document_id}): "Delete a document and its associated data using
 * its unique identifier." https://docs.tavus.io/api-reference/documents/delete-document
 */
import type { HandlerOf } from '../../mock/types.js';
import type { Tavus } from './index.js';

export const deleteDocument: HandlerOf<Tavus, 'deleteDocument'> = (req, ctx) =>
  ctx.store.deleteDocument(ctx.principal, req.params.document_id) ? { status: 204 } : ctx.error('document_not_found');
