/**
 * Several `tombstone serve --store redis://…` processes behave as one mock: exactly-once deletes across them,
 * shared idempotent replays, rate-limit windows, control API and clock, tenant isolation, no 2xx lost when a
 * replica is killed, and documented 503s while Redis is down. Every loop is bounded in count and time.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { checkMockLayerResponse, specs } from '../src/specs.js';
import { observe } from './support/mock.js';
import { describeEachRedis, type TestRedis } from './support/redis.js';
import type { RedisCluster } from './support/redisCluster.js';
import { type ServeProcess, spawnServe } from './support/serve.js';

const LEADLEX = '/leadlex/functions/v1/api-gateway/v1/documents';
const OWNER = { authorization: 'Bearer wbk_your_api_key_here' };

function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

/** `get` until `done` says so, 100 times at most, 100 ms apart: its last answer. */
async function poll<T>(get: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await get();
  for (let i = 1; i < 100 && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await get();
  }
  return value;
}

describeEachRedis('three replicas sharing one store', (backend) => {
  let redis: TestRedis;
  let replicas: ServeProcess[] = [];
  let prefix = '';
  let run = 0;

  const start = (count: number) =>
    Promise.all(
      Array.from({ length: count }, () => spawnServe(['--port', '0', '--store', redis.url, '--store-prefix', prefix])),
    );
  const del = (replica: ServeProcess, id: string, headers: Record<string, string> = OWNER) =>
    fetch(`${replica.origin}${LEADLEX}/${id}`, { method: 'DELETE', headers }).then(observe);
  const health = async (replica: ServeProcess): Promise<{ kind: string; reachable: boolean }> =>
    (await (await fetch(`${replica.origin}/_mock/health`)).json()).store;
  const state = async (replica: ServeProcess, variant: string) =>
    (await (await fetch(`${replica.origin}/_mock/state/${variant}`)).json()).data;

  beforeAll(async () => {
    redis = await backend.start();
  });
  afterAll(() => redis.close());
  beforeAll(async () => {
    prefix = `replicas${run++}:`;
    replicas = await start(3);
  });
  afterEach(async () => {
    await fetch(`${replicas[0]!.origin}/_mock/reset`, { method: 'POST' });
  });
  afterAll(async () => {
    for (const r of replicas) r.kill('SIGTERM');
    await Promise.all(replicas.map((r) => r.exited));
  });

  it('1,000 concurrent deletes of one document across three replicas: exactly one 204, 999 documented 404s', async () => {
    const responses = await Promise.all(Array.from({ length: 1000 }, (_, i) => del(replicas[i % 3]!, 'doc_01HY1')));
    expect(tally(responses.map((r) => r.status))).toEqual({ 204: 1, 404: 999 });
    for (const r of responses) expect(checkResponse(specs['leadlex']!, 'deleteDocument', r)).toEqual([]);
    for (const replica of replicas) {
      const ws = (await state(replica, 'leadlex')).workspaces[0];
      expect(ws.auditLog.filter((e: { documentId: string }) => e.documentId === 'doc_01HY1')).toHaveLength(1);
    }
  });

  it('a delete, a reset and a clock advance through one replica are seen through the others', async () => {
    const [a, b, c] = replicas as [ServeProcess, ServeProcess, ServeProcess];
    expect((await del(a, 'doc_01HY2')).status).toBe(204);
    expect((await del(b, 'doc_01HY2')).status).toBe(404);
    await fetch(`${b.origin}/_mock/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 3600 }),
    });
    const objects = (await state(c, 'leadlex')).workspaces[0].objects as { documentId: string; status: string }[];
    expect(objects.find((o) => o.documentId === 'doc_01HY2')!.status).toBe('purged');
    expect((await fetch(`${c.origin}/_mock/reset`, { method: 'POST' })).status).toBe(200);
    expect((await del(a, 'doc_01HY2')).status).toBe(204);
  });

  it('shares idempotent replays and rate-limit windows, and keeps tenants apart, across replicas', async () => {
    const [a, b, c] = replicas as [ServeProcess, ServeProcess, ServeProcess];
    const key = { ...OWNER, 'idempotency-key': 'c0ffee00-0000-4000-8000-000000000001' };
    const first = await del(a, 'doc_01HY3', key);
    const replay = await del(b, 'doc_01HY3', key);
    expect([first.status, replay.status, replay.headers['idempotent-replayed']]).toEqual([204, 204, 'true']);
    const tiny = { authorization: 'Bearer wbk_tiny_rate_limit_key' };
    const limited = [await del(a, 'nope', tiny), await del(b, 'nope', tiny), await del(c, 'nope', tiny)];
    expect(limited.map((r) => r.status)).toEqual([404, 404, 429]);
    for (const r of [first, replay, ...limited])
      expect(checkResponse(specs['leadlex']!, 'deleteDocument', r)).toEqual([]);
    const other = { authorization: 'Bearer wbk_other_workspace_key' };
    expect((await del(b, 'doc_01HY4', other)).status).toBe(404);
    expect((await del(c, 'doc_other_1')).status).toBe(404);
    const docs = (await state(a, 'leadlex')).workspaces.flatMap((w: { documents: { id: string }[] }) =>
      w.documents.map((d) => d.id),
    );
    expect(docs).toEqual(expect.arrayContaining(['doc_01HY4', 'doc_other_1']));
  });

  it('a replica killed with SIGKILL mid-load loses nothing it answered 2xx', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `doc_kill_${i}`);
    await fetch(`${replicas[0]!.origin}/_mock/state/leadlex/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspaces: [{ id: 'ws_demo', keys: [], documents: ids.map((id) => ({ id })) }] }),
    });
    const [victim] = await start(1);
    const targets = [...replicas, victim!];
    const answers = ids.map((id, i) =>
      del(targets[i % 4]!, id).then(
        (r) => ({ id, status: r.status }),
        () => ({ id, status: 0 }),
      ),
    );
    setTimeout(() => victim!.kill('SIGKILL'), 20);
    const settled = await Promise.all(answers);
    await victim!.exited;
    const deleted = settled.filter((a) => a.status === 204).map((a) => a.id);
    expect(deleted.length).toBeGreaterThan(0);
    const left = new Set(
      (await state(replicas[1]!, 'leadlex')).workspaces[0].documents.map((d: { id: string }) => d.id),
    );
    expect(deleted.filter((id) => left.has(id))).toEqual([]);
    // Whatever the victim did not answer was either deleted or left as it was: retrying gives 204 or 404, never 5xx.
    const retried = await Promise.all(settled.filter((a) => a.status === 0).map((a) => del(replicas[2]!, a.id)));
    expect(retried.every((r) => r.status === 204 || r.status === 404)).toBe(true);
  });

  it('--workers 2 serves one port from two processes sharing the state: one 204 among 200 concurrent deletes', async () => {
    const workers = await spawnServe([
      '--port',
      '0',
      '--workers',
      '2',
      '--store',
      redis.url,
      '--store-prefix',
      `${prefix}w:`,
    ]);
    try {
      expect(workers.banner).toMatch(/^ {2}workers {2}2 processes on this port/m);
      const responses = await Promise.all(Array.from({ length: 200 }, () => del(workers, 'doc_01HY1')));
      expect(tally(responses.map((r) => r.status))).toEqual({ 204: 1, 404: 199 });
    } finally {
      workers.kill('SIGTERM');
      await workers.exited;
    }
  });

  it('answers the documented 503 while Redis is down, then recovers by itself', async () => {
    const [a, b] = replicas as [ServeProcess, ServeProcess];
    await redis.stop();
    const down = await Promise.all([
      del(a, 'doc_01HY1'),
      del(b, 'doc_01HY1'),
      fetch(`${a.origin}/_mock/state/leadlex`).then(observe),
    ]);
    for (const r of down) {
      expect(r.status, r.body).toBe(503);
      expect(checkMockLayerResponse('storeUnavailable', r)).toEqual([]);
    }
    expect(await health(a)).toEqual({ kind: 'redis', reachable: false });
    await redis.start();
    const last = await poll(
      () => del(b, 'doc_01HY1'),
      (r) => r.status === 204,
    );
    expect(last.status, last.body).toBe(204);
    // Each replica reconnects on its own schedule: a's health turns once a has.
    expect(
      await poll(
        () => health(a),
        (store) => store.reachable,
      ),
    ).toEqual({ kind: 'redis', reachable: true });
  });

  it.runIf(backend.cluster)(
    'with one cluster master away, its tenants get the documented 503 and health says so; a reset restores them',
    async () => {
      const [a, b] = replicas as [ServeProcess, ServeProcess];
      const restart = await (redis as RedisCluster).stopNodeOf(`${prefix}{leadlex:ws_demo}:docs`);
      let down: Awaited<ReturnType<typeof del>>[];
      let away: unknown;
      try {
        down = await Promise.all([del(a, 'doc_01HY1'), del(b, 'doc_01HY1')]);
        away = await health(a);
      } finally {
        await restart();
      }
      for (const r of down) {
        expect(r.status, r.body).toBe(503);
        expect(checkMockLayerResponse('storeUnavailable', r)).toEqual([]);
      }
      expect(away).toEqual({ kind: 'redis', reachable: false });
      for (const replica of [a, b])
        expect(
          await poll(
            () => health(replica),
            (store) => store.reachable,
          ),
        ).toEqual({ kind: 'redis', reachable: true });
      // The master came back empty: its tenants return with a reset (README: Running several replicas).
      expect((await fetch(`${b.origin}/_mock/reset`, { method: 'POST' })).status).toBe(200);
      expect((await del(a, 'doc_01HY1')).status).toBe(204);
    },
  );
});
