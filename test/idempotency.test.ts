/**
 * LeadLex Idempotency-Key while the first request is still in flight: the IETF draft's 409 (section 2.7), held in
 * flight with latency injection (`Prefer: delay=<ms>`). Then the same key replays.
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
