/**
 * 1Flow `deleteDocument` (POST /api/webhook/{webhookId}/document/delete): "removes the document, extracted data,
 * search index entries, reconciliation links, and associated files". The webhook and its secret are checked
 * before the body (see `index.ts`).
 */
import type { components } from '../../../generated/oneflow/types.js';
import type { Context, MockResponse } from '../../mock/types.js';
import { error } from './errors.js';
import type { Webhook } from './store.js';

type Request = components['schemas']['DeleteDocumentRequest'];

export function deleteDocument(ctx: Context): MockResponse {
  const webhook = ctx.locals['webhook'] as Webhook;
  const { docId } = ctx.request.requestBody as Request;
  // Everything derived from the document lives on its record: one delete removes it all.
  if (!webhook.documents.delete(docId)) return error('document_not_found', ctx);
  return { status: 200, body: { success: true, message: 'Document deleted successfully', documentId: docId } };
}
