/**
 * Concurrency: racing deletes never delete twice and never lose a result. Node runs handlers one at a time, but
 * these tests hold the server to that through real sockets, 1,000 requests in flight at once.
 */
import { describe, expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { specs } from '../src/specs.js';
import { observe, useMock } from './support/mock.js';

const mock = useMock();

const CONCURRENT = 1_000;

const state = async (variant: string) => (await (await fetch(`${mock().origin}/_mock/state/${variant}`)).json()).data;

function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

describe(`${CONCURRENT} concurrent deletes of one document`, () => {
  const deleteOnce = (headers: Record<string, string>) =>
    fetch(`${mock().origin}/leadlex/functions/v1/api-gateway/v1/documents/doc_01HY1`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer wbk_your_api_key_here', ...headers },
    }).then(observe);

  test('exactly one 204, every other the documented 404, one audit entry', async () => {
    const responses = await Promise.all(Array.from({ length: CONCURRENT }, () => deleteOnce({})));
    expect(tally(responses.map((r) => r.status))).toEqual({ 204: 1, 404: CONCURRENT - 1 });
    for (const r of responses) expect(checkResponse(specs['leadlex']!, 'deleteDocument', r)).toEqual([]);
    const ws = (await state('leadlex')).workspaces[0];
    expect(ws.auditLog.filter((e: { action: string }) => e.action === 'document.deleted')).toHaveLength(1);
  });

  test('sharing an Idempotency-Key: the first 204 and replays of it (or 409 while it is in flight), one delete', async () => {
    const key = { 'idempotency-key': '7c9e6679-7425-40de-944b-e07fc1f90ae7' };
    const responses = await Promise.all(Array.from({ length: CONCURRENT }, () => deleteOnce(key)));
    const counts = tally(responses.map((r) => r.status));
    expect(Object.keys(counts).sort()).toEqual(
      Object.keys(counts)
        .filter((s) => s === '204' || s === '409')
        .sort(),
    );
    expect(responses.filter((r) => r.status === 204 && r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    for (const r of responses) expect(checkResponse(specs['leadlex']!, 'deleteDocument', r)).toEqual([]);
    const ws = (await state('leadlex')).workspaces[0];
    expect(ws.auditLog.filter((e: { action: string }) => e.action === 'document.deleted')).toHaveLength(1);
  });

  test('sharing an Idempotency-Key held in flight: every concurrent request is a 409 until the first completes', async () => {
    const key = { 'idempotency-key': '1b4e28ba-2fa1-41d2-883f-0016d3cca427' };
    const first = deleteOnce({ ...key, prefer: 'delay=500' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const racing = await Promise.all(Array.from({ length: 100 }, () => deleteOnce(key)));
    expect(tally(racing.map((r) => r.status))).toEqual({ 409: 100 });
    expect((await first).status).toBe(204);
  });
});

describe('velt bulk deletes racing single deletes on overlapping IDs', () => {
  const IDS = Array.from({ length: 200 }, (_, i) => `race-${i}`);
  const veltDelete = (documentIds: string[]) =>
    fetch(`${mock().origin}/velt/v2/organizations/documents/delete`, {
      method: 'POST',
      headers: {
        'x-velt-api-key': '<x-velt-api-key>',
        'x-velt-auth-token': '<x-velt-auth-token>',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ data: { organizationId: 'yourOrganizationId', documentIds } }),
    }).then(observe);

  test('each document is deleted exactly once and the results agree with the store', async () => {
    const added = await fetch(`${mock().origin}/_mock/state/velt/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apps: [
          {
            id: 'app_demo',
            apiKey: '<x-velt-api-key>',
            authTokens: [],
            organizations: [{ id: 'yourOrganizationId', documents: IDS.map((id) => ({ id })) }],
          },
        ],
      }),
    });
    expect(added.status).toBe(201);
    const bulks = Array.from({ length: 50 }, (_, i) => IDS.slice((i * 17) % 150, ((i * 17) % 150) + 50));
    const singles = IDS.map((id) => [id]);
    const responses = await Promise.all([...bulks, ...singles].sort(() => 0.5 - Math.random()).map(veltDelete));
    const deletedBy = new Map<string, number>();
    for (const r of responses) {
      expect(r.status).toBe(200);
      expect(checkResponse(specs['velt']!, 'deleteDocuments', r)).toEqual([]);
      for (const [id, result] of Object.entries(JSON.parse(r.body).result.data) as [string, { message: string }][]) {
        if (result.message === 'Deleted Successfully') deletedBy.set(id, (deletedBy.get(id) ?? 0) + 1);
      }
    }
    expect(IDS.filter((id) => deletedBy.get(id) !== 1)).toEqual([]);
    const org = (await state('velt')).apps[0].organizations.find((o: { id: string }) => o.id === 'yourOrganizationId');
    expect(org.documents.map((d: { id: string }) => d.id).filter((id: string) => id.startsWith('race-'))).toEqual([]);
  });
});
