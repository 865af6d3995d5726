/**
 * Dify `deleteDocument` (DELETE /datasets/{dataset_id}/documents/{document_id}): "Permanently delete a document
 * and all its chunks from the knowledge base." https://docs.dify.ai — Knowledge API, Delete Document
 */
import type { HandlerOf } from '../../mock/types.js';
import type { Dify } from './index.js';

export const deleteDocument: HandlerOf<Dify, 'deleteDocument'> = (req, ctx) => {
  const result = ctx.store.deleteDocument(ctx.principal, req.params.dataset_id, req.params.document_id);
  return result === 'deleted' ? { status: 204 } : ctx.error(result);
};
