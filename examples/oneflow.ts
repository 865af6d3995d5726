/**
 * 1Flow through a typed client: openapi-fetch over the `paths` generated from openapi/oneflow.yaml. The webhook
 * is in the path; its secret, when it has one, is the raw `Authorization` header. https://openapi-ts.dev/openapi-fetch/
 */
import createClient from 'openapi-fetch';
import type { paths } from '../generated/oneflow/types.js';

export const MOCK_BASE_URL = 'http://localhost:4010/oneflow';

export function oneflowClient(secret: string | undefined = 'your-webhook-secret', baseUrl = MOCK_BASE_URL) {
  return createClient<paths>({ baseUrl, headers: secret === undefined ? {} : { Authorization: secret } });
}

/** Deletes a document with its extracted data, index entries, reconciliation links and files. */
export async function deleteDocument(client: ReturnType<typeof oneflowClient>, webhookId: string, docId: string) {
  const { response, data, error } = await client.POST('/api/webhook/{webhookId}/document/delete', { params: { path: { webhookId } }, body: { docId } });
  return { status: response.status, deleted: data?.documentId, error: error?.error };
}

/** Never called: each line is a mistake `tsc` must refuse, or the @ts-expect-error above it fails the build. */
export function mistakes(client: ReturnType<typeof oneflowClient>): void {
  // @ts-expect-error: docId is a string
  void client.POST('/api/webhook/{webhookId}/document/delete', { params: { path: { webhookId: 'abc123xyz' } }, body: { docId: 42 } });
  // @ts-expect-error: the body field is `docId`, not `documentId`
  void client.POST('/api/webhook/{webhookId}/document/delete', { params: { path: { webhookId: 'abc123xyz' } }, body: { documentId: 'your-document-id' } });
  // @ts-expect-error: the webhook ID is required
  void client.POST('/api/webhook/{webhookId}/document/delete', { body: { docId: 'your-document-id' } });
}
