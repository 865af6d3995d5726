/**
 * Tavus `deleteDocument` (DELETE /v2/documents/{document_id}): "Delete a document and its associated data using
 * its unique identifier." https://docs.tavus.io/api-reference/documents/delete-document
 */
import type { operations } from '../../../generated/tavus/types.js';
import type { Context, MockResponse } from '../../mock/types.js';
import { error } from './errors.js';
import type { Account } from './store.js';

type Path = operations['deleteDocument']['parameters']['path'];

export function deleteDocument(ctx: Context): MockResponse {
  const account = ctx.security['apiKey'] as Account;
  const { document_id } = ctx.request.params as Path;
  // The document and its associated data are one record: removing it removes both.
  if (!account.documents.delete(document_id)) return error('document_not_found', ctx);
  return { status: 204 };
}
