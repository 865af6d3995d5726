/**
 * Tavus through a typed client: openapi-fetch over the `paths` generated from openapi/tavus.yaml.
 * https://openapi-ts.dev/openapi-fetch/
 */
import createClient from 'openapi-fetch';
import type { paths } from '../generated/tavus/types.js';

export const MOCK_BASE_URL = 'http://localhost:4010/tavus';

export function tavusClient(apiKey = '<api-key>', baseUrl = MOCK_BASE_URL) {
  return createClient<paths>({ baseUrl, headers: { 'x-api-key': apiKey } });
}

/** Deletes a document and its associated data. */
export async function deleteDocument(client: ReturnType<typeof tavusClient>, documentId: string) {
  const { response, error } = await client.DELETE('/v2/documents/{document_id}', { params: { path: { document_id: documentId } } });
  return { status: response.status, message: error?.message };
}

/** Never called: each line is a mistake `tsc` must refuse, or the @ts-expect-error above it fails the build. */
export function mistakes(client: ReturnType<typeof tavusClient>): void {
  // @ts-expect-error: no such path (v1 is not in openapi/tavus.yaml)
  void client.DELETE('/v1/documents/{document_id}', { params: { path: { document_id: 'd8-5c71baca86fc' } } });
  // @ts-expect-error: the parameter is `document_id`, not `id`
  void client.DELETE('/v2/documents/{document_id}', { params: { path: { id: 'd8-5c71baca86fc' } } });
}
