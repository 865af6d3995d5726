/**
 * LeadLex Idempotency-Key while the first request is still in flight: the IETF draft's 409 (section 2.7), held in
 * flight with latency injection (`Prefer: delay=<ms>`). Then the same key replays, error answers included.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { specs } from '../src/specs.js';
import { observe, type RunningMock, startMock } from './support/mock.js';

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

const del = (headers: Record<string, string>) =>
  fetch(`${mock.origin}/leadlex/functions/v1/api-gateway/v1/documents/doc_01HY1`, {
    method: 'DELETE',
    headers: {
      authorization: 'Bearer wbk_your_api_key_here',
      'idempotency-key': '0d7c1b7e-8d0f-4f57-9a55-3c1a3b9e2f10',
      ...headers,
    },
  }).then(observe);

test('a second request with the key while the first is in flight is a 409; afterwards it replays', async () => {
  const first = del({ prefer: 'delay=400' });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const concurrent = await del({});
  expect(concurrent.status).toBe(409);
  expect(JSON.parse(concurrent.body).error.code).toBe('idempotency_key_in_use');
  expect((await first).status).toBe(204);
  const replay = await del({});
  expect(replay.status).toBe(204);
  expect(replay.headers['idempotent-replayed']).toBe('true');
  for (const r of [concurrent, await first, replay])
    expect(checkResponse(specs['leadlex']!, 'deleteDocument', r)).toEqual([]);
});

// Stripe replays every answer the first request got, errors included, with `Idempotent-Replayed: true`; the
// replay must still be a documented response (status, headers and body).
test.each([
  { given: 'a key without write:documents', key: 'wbk_read_only_key', doc: 'doc_01HY1', want: 403 },
  { given: 'hard=true without admin:documents', key: 'wbk_write_only_key', doc: 'doc_01HY1?hard=true', want: 403 },
  { given: 'a document that does not exist', key: 'wbk_your_api_key_here', doc: 'doc_missing', want: 404 },
  { given: 'a document a workflow references', key: 'wbk_your_api_key_here', doc: 'doc_in_use', want: 409 },
])('an error answer replays as documented: $given → $want', async ({ key, doc, want }) => {
  const headers = { authorization: `Bearer ${key}`, 'idempotency-key': crypto.randomUUID() };
  const send = () =>
    fetch(`${mock.origin}/leadlex/functions/v1/api-gateway/v1/documents/${doc}`, { method: 'DELETE', headers }).then(
      observe,
    );
  const first = await send();
  const replay = await send();
  expect([first.status, replay.status]).toEqual([want, want]);
  expect(first.headers['idempotent-replayed']).toBeUndefined();
  expect(replay.headers['idempotent-replayed']).toBe('true');
  expect(JSON.parse(replay.body).error.code).toBe(JSON.parse(first.body).error.code);
  for (const r of [first, replay]) expect(checkResponse(specs['leadlex']!, 'deleteDocument', r)).toEqual([]);
});
