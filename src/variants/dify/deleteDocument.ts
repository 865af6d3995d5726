/**
 * Dify `deleteDocument` (DELETE /datasets/{dataset_id}/documents/{document_id}): "Permanently delete a document
 * and all its chunks from the knowledge base." Checks in Dify's own order: knowledge base, document, archived,
 * indexing. https://docs.dify.ai — Knowledge API, Delete Document
 */
import type { operations } from '../../../generated/dify/types.js';
import type { Context, MockResponse } from '../../mock/types.js';
import { error } from './errors.js';
import { isIndexing, type Account, type DifyStore } from './store.js';

type Path = operations['deleteDocument']['parameters']['path'];

export function deleteDocument(state: { store: DifyStore }) {
  return (ctx: Context): MockResponse => {
    const account = ctx.security['ApiKeyAuth'] as Account;
    const { dataset_id, document_id } = ctx.request.params as Path;
    const dataset = state.store.dataset(account, dataset_id);
    if (!dataset) return error('dataset_not_found', ctx);
    const doc = dataset.documents.get(document_id);
    if (!doc) return error('not_found', ctx);
    if (doc.archived) return error('archived_document_immutable', ctx);
    if (isIndexing(doc)) return error('document_indexing', ctx);
    state.store.deleteDocument(dataset, doc);
    return { status: 204 };
  };
}
