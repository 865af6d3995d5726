/**
 * Velt `deleteDocuments` (POST /v2/organizations/documents/delete): bulk delete with one result per requested ID.
 * As on the page, an ID with no document still succeeds, with "Document does not exist".
 * https://docs.velt.dev/api-reference/rest-apis/v2/documents/delete-documents
 */
import type { HandlerOf } from '../../mock/types.js';
import type { Velt } from './index.js';

export const deleteDocuments: HandlerOf<Velt, 'deleteDocuments'> = (req, ctx) => {
  const { organizationId, documentIds } = req.body.data;
  const data = ctx.store.deleteDocuments(ctx.principal, organizationId, documentIds);
  if (!data) return ctx.error('organization_not_found');
  return { status: 200, body: { result: { status: 'success', message: 'Document(s) deleted successfully.', data } } };
};
