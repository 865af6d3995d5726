/**
 * Dify's Knowledge API through a typed client: openapi-fetch over the `paths` generated from openapi/dify.yaml.
 * https://openapi-ts.dev/openapi-fetch/
 */
import createClient from 'openapi-fetch';
import type { paths } from '../generated/dify/types.js';

export const MOCK_BASE_URL = 'http://localhost:4010/dify/v1';

export function difyClient(apiKey = '{API_KEY}', baseUrl = MOCK_BASE_URL) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
}

/** Deletes a document and its chunks; an indexing or archived document is refused with its own code. */
export async function deleteDocument(client: ReturnType<typeof difyClient>, datasetId: string, documentId: string) {
  const { response, error } = await client.DELETE('/datasets/{dataset_id}/documents/{document_id}', {
    params: { path: { dataset_id: datasetId, document_id: documentId } },
  });
  return { status: response.status, code: error?.code };
}

/** Never called: each line is a mistake `tsc` must refuse, or the @ts-expect-error above it fails the build. */
export function mistakes(client: ReturnType<typeof difyClient>): void {
  // @ts-expect-error: the knowledge base ID is required too
  void client.DELETE('/datasets/{dataset_id}/documents/{document_id}', { params: { path: { document_id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' } } });
  // @ts-expect-error: no such path (documents live under a knowledge base)
  void client.DELETE('/documents/{document_id}', { params: { path: { document_id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' } } });
}
