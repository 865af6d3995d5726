/**
 * LeadLex through a typed client: openapi-fetch over the `paths` that `npm run generate` derives from
 * openapi/leadlex.yaml. The same code talks to the mock and to LeadLex; only `baseUrl` and the key change.
 * https://openapi-ts.dev/openapi-fetch/
 */
import createClient from 'openapi-fetch';
import type { paths } from '../generated/leadlex/types.js';

export const MOCK_BASE_URL = 'http://localhost:4010/leadlex/functions/v1/api-gateway';

export function leadlexClient(apiKey = 'wbk_your_api_key_here', baseUrl = MOCK_BASE_URL) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
}

/** Soft delete (the file is purged within the hour), or `hard` (at once; needs admin:documents). */
export async function deleteDocument(client: ReturnType<typeof leadlexClient>, id: string, hard = false) {
  const { response, error } = await client.DELETE('/v1/documents/{id}', { params: { path: { id }, query: { hard } } });
  // `error` is typed from the spec's error responses: { error: { code: 'in_use' | 'not_found' | ..., ... } }.
  return { status: response.status, requestId: response.headers.get('X-Request-ID'), code: error?.error.code };
}

/** Never called: each line is a mistake `tsc` must refuse, or the @ts-expect-error above it fails the build. */
export function mistakes(client: ReturnType<typeof leadlexClient>): void {
  // @ts-expect-error: no such path in openapi/leadlex.yaml
  void client.DELETE('/v1/document/{id}', { params: { path: { id: 'doc_01HY1' } } });
  // @ts-expect-error: `hard` is a boolean query parameter
  void client.DELETE('/v1/documents/{id}', { params: { path: { id: 'doc_01HY1' }, query: { hard: 'yes' } } });
  // @ts-expect-error: the document ID is required
  void client.DELETE('/v1/documents/{id}', { params: { path: {} } });
  // @ts-expect-error: the API has no POST on this path
  void client.POST('/v1/documents/{id}', { params: { path: { id: 'doc_01HY1' } } });
}
