/**
 * Velt `deleteDocuments` (POST /v2/organizations/documents/delete): bulk delete with one result per requested ID.
 * As on the page, an ID with no document still succeeds, with "Document does not exist".
 * https://docs.velt.dev/api-reference/rest-apis/v2/documents/delete-documents
 */
import type { components } from '../../../generated/velt/types.js';
import type { Context, MockResponse } from '../../mock/types.js';
import { error } from './errors.js';
import type { App, VeltStore } from './store.js';

type Request = components['schemas']['DeleteDocumentsRequest'];
type Result = components['schemas']['DocumentResult'];

export function deleteDocuments(state: { store: VeltStore }) {
  return (ctx: Context): MockResponse => {
    const app = ctx.security['veltApiKey'] as App;
    const { organizationId, documentIds } = (ctx.request.requestBody as Request).data;
    const organization = app.organizations.get(organizationId);
    if (!organization) return error('organization_not_found', ctx);
    // Keyed by caller-chosen IDs: a prototype-less object, so "__proto__" is a key like any other.
    const data: Record<string, Result> = Object.create(null);
    for (const id of documentIds) {
      if (id in data) continue;
      const { deleted, internalId } = state.store.deleteDocument(organization, id);
      data[id] = { success: true, id: internalId, message: deleted ? 'Deleted Successfully' : 'Document does not exist' };
    }
    return { status: 200, body: { result: { status: 'success', message: 'Document(s) deleted successfully.', data } } };
  };
}
