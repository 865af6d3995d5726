/**
 * 1Flow `deleteDocument` (POST /api/webhook/{webhookId}/document/delete): "removes the document, extracted data,
 * search index entries, reconciliation links, and associated files". The webhook and its secret are checked
 * before the body (`authorized` in index.ts).
 */
import type { HandlerOf } from '../../mock/types.js';
import type { Oneflow } from './index.js';

export const deleteDocument: HandlerOf<Oneflow, 'deleteDocument'> = (req, ctx) => {
  const { docId } = req.body;
  if (!ctx.store.deleteDocument(req.params.webhookId, docId)) return ctx.error('document_not_found');
  return { status: 200, body: { success: true, message: 'Document deleted successfully', documentId: docId } };
};
