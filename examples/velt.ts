/**
 * Velt through a typed client: openapi-fetch over the `paths` generated from openapi/velt.yaml. Bulk delete,
 * one result per requested ID. https://openapi-ts.dev/openapi-fetch/
 */
import createClient from 'openapi-fetch';
import type { paths } from '../generated/velt/types.js';

export const MOCK_BASE_URL = 'http://localhost:4010/velt';

export function veltClient(apiKey = '<x-velt-api-key>', authToken = '<x-velt-auth-token>', baseUrl = MOCK_BASE_URL) {
  return createClient<paths>({ baseUrl, headers: { 'x-velt-api-key': apiKey, 'x-velt-auth-token': authToken } });
}

/** Deletes documents of an organization; each ID gets "Deleted Successfully" or "Document does not exist". */
export async function deleteDocuments(client: ReturnType<typeof veltClient>, organizationId: string, documentIds: string[]) {
  const { response, data, error } = await client.POST('/v2/organizations/documents/delete', { body: { data: { organizationId, documentIds } } });
  const messages = Object.fromEntries(Object.entries(data?.result.data ?? {}).map(([id, result]) => [id, result.message]));
  return { status: response.status, messages, error: error?.error.status };
}

/** Never called: each line is a mistake `tsc` must refuse, or the @ts-expect-error above it fails the build. */
export function mistakes(client: ReturnType<typeof veltClient>): void {
  // @ts-expect-error: documentIds is an array
  void client.POST('/v2/organizations/documents/delete', { body: { data: { organizationId: 'yourOrganizationId', documentIds: 'yourDocumentId1' } } });
  // @ts-expect-error: organizationId is required
  void client.POST('/v2/organizations/documents/delete', { body: { data: { documentIds: ['yourDocumentId1'] } } });
  // @ts-expect-error: the body is required
  void client.POST('/v2/organizations/documents/delete', {});
  // @ts-expect-error: Velt deletes with POST, not DELETE
  void client.DELETE('/v2/organizations/documents/delete', { body: { data: { organizationId: 'yourOrganizationId', documentIds: [] } } });
}
