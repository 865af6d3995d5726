/**
 * The Redis stores' scripts, run directly against a real redis-server: each operation's outcomes (given/want), the
 * state they leave (compared with the in-memory store's snapshot of the same seed), and exactly-once under
 * concurrency through separate connections.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { MockClock } from '../src/mock/clock.js';
import { SharedClock } from '../src/stores/redis/clock.js';
import { parseStoreUrl, RedisConnection } from '../src/stores/redis/connection.js';
import { DifyRedisStore } from '../src/stores/redis/dify.js';
import { LeadlexRedisStore } from '../src/stores/redis/leadlex.js';
import { OneflowRedisStore } from '../src/stores/redis/oneflow.js';
import { TavusRedisStore } from '../src/stores/redis/tavus.js';
import { VeltRedisStore } from '../src/stores/redis/velt.js';
import { type Seed as DifySeed, MemoryDifyStore } from '../src/variants/dify/store.js';
import {
  IDEMPOTENCY_MAX_RECORDS,
  type Key,
  type Seed as LeadlexSeed,
  MemoryLeadlexStore,
} from '../src/variants/leadlex/store.js';
import { MemoryOneflowStore, type Seed as OneflowSeed } from '../src/variants/oneflow/store.js';
import { seeded } from '../src/variants/stores.js';
import { MemoryTavusStore, type Seed as TavusSeed } from '../src/variants/tavus/store.js';
import {
  type AppRef,
  internalId,
  MemoryVeltStore,
  type Seed as VeltSeed,
  type VeltStore,
} from '../src/variants/velt/store.js';
import { describeEachRedis, type TestRedis } from './support/redis.js';
import { RedisServer } from './support/redisServer.js';

const seed = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../mocks/${name}.json`, import.meta.url), 'utf8')) as T;
const HOUR = 60 * 60 * 1000;

/** A Velt bulk delete's results as the answer has them (ID → result), or undefined without the organization. */
async function results(store: VeltStore, app: AppRef, organizationId: string, ids: string[]) {
  const data: Record<string, { success: boolean; id: string; message: string }> = Object.create(null);
  const found = await store.deleteDocuments(app, organizationId, ids, (id, veltId, deleted) => {
    data[id] = { success: true, id: veltId, message: deleted ? 'Deleted Successfully' : 'Document does not exist' };
  });
  return found ? data : undefined;
}

describe('--store URLs', () => {
  it('parses one Redis and a Redis Cluster, and refuses others with a usage line listing the forms', () => {
    const given: [string, unknown][] = [
      ['redis://127.0.0.1:6380/2', { cluster: false, node: { host: '127.0.0.1', port: 6380 }, db: 2 }],
      ['redis://localhost', { cluster: false, node: { host: 'localhost', port: 6379 }, db: 0 }],
      ['redis://[::1]:7000/', { cluster: false, node: { host: '::1', port: 7000 }, db: 0 }],
      [
        'redis+cluster://10.0.0.1:7000,10.0.0.2,[::1]:7002',
        {
          cluster: true,
          nodes: [
            { host: '10.0.0.1', port: 7000 },
            { host: '10.0.0.2', port: 6379 },
            { host: '::1', port: 7002 },
          ],
        },
      ],
      ['redis+cluster://redis-0.redis:6379', { cluster: true, nodes: [{ host: 'redis-0.redis', port: 6379 }] }],
      [
        'redis://:p%40ss:w@127.0.0.1:6380/1',
        { cluster: false, node: { host: '127.0.0.1', port: 6380 }, db: 1, auth: { password: 'p@ss:w' } },
      ],
      [
        'redis+cluster://app:s3cret@a:7000,b:7000',
        {
          cluster: true,
          nodes: [
            { host: 'a', port: 7000 },
            { host: 'b', port: 7000 },
          ],
          auth: { username: 'app', password: 's3cret' },
        },
      ],
      ['redis://app@a', { cluster: false, node: { host: 'a', port: 6379 }, db: 0, auth: { username: 'app' } }],
    ];
    for (const [url, want] of given) expect(parseStoreUrl(url), url).toEqual({ auth: {}, ...(want as object) });
    const bad = [
      'memory',
      'http://127.0.0.1:6379',
      'redis://127.0.0.1:6379/x',
      'redis://:6379',
      'redis://127.0.0.1:6379/0/1',
      'redis://127.0.0.1:6379?db=1',
      'redis://a:6379,b:6379',
      'redis+cluster://',
      'redis+cluster://a:7000,,b:7000',
      'redis+cluster://a:7000/1',
      'redis+cluster://a:70000',
      'rediscluster://a:7000',
      'redis://u:%zz@a',
    ];
    for (const url of bad) {
      expect(() => parseStoreUrl(url), url).toThrow(
        /^\[tombstone\] Invalid store '.*': expected memory, redis:\/\/\[\[user\]:password@\]host:port\[\/db\] or redis\+cluster:\/\/\[\[user\]:password@\]host:port\[,host:port…\] \(e\.g\. /,
      );
    }
    // A password is never repeated back.
    expect(() => parseStoreUrl('redis://u:s3cret@a:6379/x')).toThrow(/Invalid store 'redis:\/\/u:\*\*\*@a:6379\/x'/);
  });
});

describeEachRedis('Redis stores, script by script', (backend) => {
  let server: TestRedis;
  let connection: RedisConnection;
  let clock: SharedClock;
  const extra: RedisConnection[] = [];

  beforeAll(async () => {
    server = await backend.start();
    connection = await RedisConnection.connect(server.url, 'test:');
    clock = new SharedClock(connection);
  });
  afterAll(async () => {
    await Promise.all([connection, ...extra].map((c) => c.quit()));
    await server.close();
  });
  beforeEach(async () => {
    await server.flush();
  });

  /** `n` more connections, each its own socket. */
  async function connections(n: number): Promise<RedisConnection[]> {
    const made = await Promise.all(Array.from({ length: n }, () => RedisConnection.connect(server.url, 'test:')));
    extra.push(...made);
    return made;
  }

  it("refuses the other kind's URL for this Redis with a usage line naming the one to use", async () => {
    const node = server.url.replace(/^[^/]*\/\//, '').split(',')[0]!;
    const [other, want] = backend.cluster
      ? [`redis://${node}`, /^\[tombstone\] The store .* is a Redis Cluster node: use --store redis\+cluster:\/\//]
      : [
          `redis+cluster://${node}`,
          /^\[tombstone\] The store .* is not a Redis Cluster \(.+\): use --store redis:\/\//,
        ];
    const refused = RedisConnection.connect(other, 'test:');
    await expect(refused).rejects.toThrow(want);
    await expect(refused).rejects.toBeInstanceOf(UsageError);
  });

  // One server with a password is enough: a cluster's nodes get the same login through the same options.
  it.skipIf(backend.cluster)(
    "logs in with the URL's password; a wrong one fails in one line that never shows it",
    async () => {
      const locked = await RedisServer.start(['--requirepass', 'p@ss']);
      try {
        const url = (password: string) => `redis://:${encodeURIComponent(password)}@127.0.0.1:${locked.port}`;
        const ok = await RedisConnection.connect(url('p@ss'), 'test:');
        expect(await ok.client.set('test:k', 'v')).toBe('OK');
        await ok.quit();
        const refused = RedisConnection.connect(url('wrong'), 'test:');
        await expect(refused).rejects.toThrow(
          /^\[tombstone\] Cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: /,
        );
        await expect(refused).rejects.not.toThrow(/wrong/);
      } finally {
        await locked.stop();
      }
    },
  );

  it('refuses a prefix that could break hash tags or key matching', async () => {
    await expect(RedisConnection.connect(server.url, 'a{b}')).rejects.toThrow(/Invalid --store-prefix 'a\{b\}'/);
  });

  it('loads each seed into the same snapshot as the in-memory store', async () => {
    const memoryClock = new MockClock();
    const given: [string, { merge(s: never): Promise<unknown>; snapshot(): Promise<unknown> }, unknown][] = [
      [
        'leadlex',
        new LeadlexRedisStore(connection, clock),
        seeded(new MemoryLeadlexStore(memoryClock), seed<LeadlexSeed>('leadlex')).snapshot(),
      ],
      ['dify', new DifyRedisStore(connection), seeded(new MemoryDifyStore(), seed<DifySeed>('dify')).snapshot()],
      ['tavus', new TavusRedisStore(connection), seeded(new MemoryTavusStore(), seed<TavusSeed>('tavus')).snapshot()],
      [
        'velt',
        new VeltRedisStore(connection, clock),
        seeded(new MemoryVeltStore(memoryClock), seed<VeltSeed>('velt')).snapshot(),
      ],
      [
        'oneflow',
        new OneflowRedisStore(connection),
        seeded(new MemoryOneflowStore(), seed<OneflowSeed>('oneflow')).snapshot(),
      ],
    ];
    for (const [name, store, want] of given) {
      expect(await store.merge(seed(name) as never), name).toBeUndefined();
      expect(await store.snapshot(), name).toEqual(want);
    }
  });

  it('refuses a merge with a duplicate document, changing nothing', async () => {
    const tavus = new TavusRedisStore(connection);
    await tavus.merge(seed('tavus'));
    const before = await tavus.snapshot();
    const given = [
      { accounts: [{ id: 'acc_new', apiKeys: ['k_new'], documents: [{ id: 'a' }, { id: 'a' }] }] },
      {
        accounts: [
          { id: 'acc_new', apiKeys: [], documents: [{ id: 'n1' }] },
          { ...before.accounts[0]!, documents: [before.accounts[0]!.documents[0]!] },
        ],
      },
    ];
    for (const fragment of given) {
      expect(await tavus.merge(fragment)).toMatch(/^Document .* already exists in /);
      expect(await tavus.snapshot()).toEqual(before);
    }
    const velt = new VeltRedisStore(connection, clock);
    await velt.merge(seed('velt'));
    const app = seed<VeltSeed>('velt').apps[0]!;
    expect(await velt.merge({ apps: [{ ...app, apiKey: 'another' }] })).toBe(
      `App ${app.id} has API key ${app.apiKey}, not another`,
    );
    const dify = new DifyRedisStore(connection);
    await dify.merge(seed('dify'));
    const [first, second] = seed<DifySeed>('dify').accounts;
    expect(
      await dify.merge({ accounts: [{ ...second!, datasets: [{ ...first!.datasets[0]!, documents: [] }] }] }),
    ).toBe(`Dataset ${first!.datasets[0]!.id} already belongs to ${first!.id}`);
  });

  it('lets concurrent merges of one fragment through different connections add it exactly once', async () => {
    const stores = (await connections(10)).map((c) => new TavusRedisStore(c));
    const fragment = { accounts: [{ id: 'acc_x', apiKeys: ['k_x'], documents: [{ id: 'd1' }, { id: 'd2' }] }] };
    const results = await Promise.all(stores.map((s) => s.merge(fragment)));
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
    expect(results.filter((r) => r !== undefined).every((r) => /already exists/.test(r!))).toBe(true);
    expect((await stores[0]!.snapshot()).accounts).toEqual(fragment.accounts);
  });

  describeLeadlex();

  function describeLeadlex(): void {
    const key = (name: string): Key =>
      seed<LeadlexSeed>('leadlex')
        .workspaces.flatMap((w) => w.keys)
        .find((k) => k.key === name)!;
    /** The principal `authenticate` makes: the key, its workspace, and now as read then. */
    const as = (name: string, now: number, workspace = 'ws_demo') => ({ workspace, key: key(name), now });
    type P = ReturnType<typeof as>;

    it('LeadLex: authenticates known, unexpired keys only', async () => {
      const store = new LeadlexRedisStore(connection, clock);
      await store.merge(seed('leadlex'));
      const given: [string, string | undefined][] = [
        ['wbk_your_api_key_here', 'ws_demo'],
        ['wbk_other_workspace_key', 'ws_other'],
        ['wbk_expired_key', undefined],
        ['wbk_unknown', undefined],
      ];
      for (const [token, want] of given)
        expect(((await store.authenticate(token)) as P | undefined)?.workspace, token).toBe(want);
    });

    it("LeadLex: deletes with the handler's checks in order, each outcome leaving the state it should", async () => {
      const store = new LeadlexRedisStore(connection, clock);
      await store.merge(seed('leadlex'));
      const now = await clock.shared();
      const given: { by: P; id: string; hard: boolean; want: unknown }[] = [
        {
          by: as('wbk_read_only_key', now),
          id: 'doc_01HY1',
          hard: false,
          want: { kind: 'forbidden', needed: 'write:documents' },
        },
        {
          by: as('wbk_write_only_key', now),
          id: 'doc_01HY1',
          hard: true,
          want: { kind: 'forbidden', needed: 'admin:documents' },
        },
        { by: as('wbk_your_api_key_here', now), id: 'doc_nope', hard: false, want: { kind: 'not_found' } },
        { by: as('wbk_your_api_key_here', now), id: 'doc_other_1', hard: false, want: { kind: 'not_found' } },
        {
          by: as('wbk_your_api_key_here', now),
          id: 'doc_in_use',
          hard: false,
          want: { kind: 'in_use', references: 'workflow wf_client_onboarding' },
        },
        { by: as('wbk_your_api_key_here', now), id: 'doc_01HY1', hard: false, want: { kind: 'deleted' } },
        { by: as('wbk_your_api_key_here', now), id: 'doc_01HY1', hard: false, want: { kind: 'not_found' } },
        { by: as('wbk_your_api_key_here', now), id: 'doc_01HY3', hard: true, want: { kind: 'deleted' } },
      ];
      for (const { by, id, hard, want } of given) {
        const request = { documentId: id, hard, requestId: 'req_1' };
        expect(await store.deleteDocument(by, request), `${by.key.key} ${id} hard=${hard}`).toEqual(want);
      }
      const ws = (await store.snapshot()).workspaces[0]!;
      expect(ws.documents.map((d) => d.id)).toEqual(['doc_01HY2', 'doc_01HY4', 'doc_in_use', 'doc_template_source']);
      const at = new Date(now).toISOString();
      expect(ws.auditLog).toEqual([
        {
          at,
          action: 'document.deleted',
          documentId: 'doc_01HY1',
          requestId: 'req_1',
          hard: false,
          entityLinksDetached: 2,
        },
        {
          at,
          action: 'document.deleted',
          documentId: 'doc_01HY3',
          requestId: 'req_1',
          hard: true,
          entityLinksDetached: 0,
        },
        { at, action: 'document.purged', documentId: 'doc_01HY3', requestId: 'req_1' },
      ]);
      const objects = Object.fromEntries(ws.objects!.map((o) => [o.documentId, o]));
      expect(objects['doc_01HY1']).toEqual({
        key: 'ws_demo/doc_01HY1.pdf',
        documentId: 'doc_01HY1',
        status: 'scheduled',
        purgeAt: new Date(now + HOUR).toISOString(),
      });
      expect(objects['doc_01HY3']).toEqual({
        key: 'ws_demo/doc_01HY3.pdf',
        documentId: 'doc_01HY3',
        status: 'purged',
        purgedAt: at,
      });
    });

    it('LeadLex: carries out a scheduled purge once it is due, on the shared clock', async () => {
      const store = new LeadlexRedisStore(connection, clock);
      await store.merge(seed('leadlex'));
      const request = { documentId: 'doc_01HY2', hard: false, requestId: 'req_2' };
      await store.deleteDocument(as('wbk_your_api_key_here', await clock.shared()), request);
      const status = async () =>
        (await store.snapshot()).workspaces[0]!.objects!.find((o) => o.documentId === 'doc_01HY2')!;
      expect((await status()).status).toBe('scheduled');
      const [other] = await connections(1);
      await new SharedClock(other!).advance(3600);
      const purged = await status();
      expect(purged.status).toBe('purged');
      const ws = (await store.snapshot()).workspaces[0]!;
      expect(ws.auditLog!.at(-1)).toEqual({
        at: purged.purgedAt,
        action: 'document.purged',
        documentId: 'doc_01HY2',
        requestId: 'purge-scheduler',
      });
      expect(ws.auditLog!.filter((e) => e.action === 'document.purged')).toHaveLength(1);
    });

    it('LeadLex: counts each authenticated request in a fixed rate-limit window per key, on the shared clock', async () => {
      const store = new LeadlexRedisStore(connection, clock);
      await store.merge(seed('leadlex'));
      // A second into a minute-long window, so that the first three requests fall in one window.
      const before = await clock.shared();
      await clock.advance((60_000 - (before % 60_000) + 1000) / 1000);
      const reset = (Math.floor((await clock.shared()) / 60_000) + 1) * 60;
      const request = async (token: string) => store.consume((await store.authenticate(token))!);
      const given: [number, object][] = [
        [0, { limit: 2, remaining: 1, reset, allowed: true }],
        [0, { limit: 2, remaining: 0, reset, allowed: true }],
        [0, { limit: 2, remaining: 0, reset, allowed: false }],
        [60, { limit: 2, remaining: 1, reset: reset + 60, allowed: true }],
      ];
      for (const [advance, want] of given) {
        await clock.advance(advance);
        expect(await request('wbk_tiny_rate_limit_key')).toEqual(want);
      }
      expect((await request('wbk_your_api_key_here')).remaining).toBe(999_999);
    });

    it('LeadLex: a key a replica has cached is refused once a reset through another replica removed it', async () => {
      const [other] = await connections(1);
      const store = new LeadlexRedisStore(connection, clock);
      const replica = new LeadlexRedisStore(other!, new SharedClock(other!));
      await store.seed(seed('leadlex'));
      const merged = { key: 'wbk_merged_key', permissions: ['write:documents' as const] };
      expect(await store.merge({ workspaces: [{ id: 'ws_demo', keys: [merged], documents: [] }] })).toBeUndefined();
      expect((await replica.authenticate('wbk_merged_key'))?.key).toEqual(merged);
      await store.reset();
      expect(await replica.authenticate('wbk_merged_key')).toBeUndefined();
      expect(await replica.authenticate('wbk_your_api_key_here')).toMatchObject({ workspace: 'ws_demo' });
    });

    /** A delete with an Idempotency-Key: `reserved` (and the delete's outcome) when the key was new. */
    const idempotent = async (store: LeadlexRedisStore, by: P, key: string, path: string, hard = false) => {
      const documentId = path.slice(path.lastIndexOf('/') + 1);
      const outcome = await store.deleteDocument(by, {
        documentId,
        hard,
        requestId: 'req',
        idempotency: { key, path },
      });
      return 'record' in outcome && outcome.record ? { ...outcome, kind: 'reserved' as const } : outcome;
    };

    it('LeadLex: keeps at most IDEMPOTENCY_MAX_RECORDS Idempotency-Key records per workspace, dropping the oldest', async () => {
      const store = new LeadlexRedisStore(connection, clock);
      await store.merge(seed('leadlex'));
      const me = as('wbk_your_api_key_here', await clock.shared());
      // Names that sort against the order made ('idem-9' > 'idem-10000'), all made in the same millisecond.
      const reserve = (i: number) => idempotent(store, me, `idem-${i}`, '/v1/documents/doc_nope');
      expect((await reserve(9)).kind).toBe('reserved');
      const made = await Promise.all(
        Array.from({ length: IDEMPOTENCY_MAX_RECORDS }, (_, i) => reserve(i === 9 ? IDEMPOTENCY_MAX_RECORDS : i)),
      );
      expect(made.every((r) => r.kind === 'reserved')).toBe(true);
      expect((await reserve(0)).kind).toBe('in-flight');
      expect((await reserve(9)).kind).toBe('reserved');
    });

    it('LeadLex: reserves Idempotency-Keys per API key with the delete: new, in-flight, replay, mismatch, expired', async () => {
      const store = new LeadlexRedisStore(connection, clock);
      await store.merge(seed('leadlex'));
      const now = await clock.shared();
      const me = as('wbk_your_api_key_here', now);
      const path = '/v1/documents/doc_01HY1';
      const first = await idempotent(store, me, 'idem-1', path);
      expect(first).toMatchObject({ kind: 'reserved', record: expect.any(Object) });
      expect((await store.snapshot()).workspaces[0]!.documents.map((d) => d.id)).not.toContain('doc_01HY1');
      expect((await idempotent(store, me, 'idem-1', path)).kind).toBe('in-flight');
      const response = { status: 204, headers: { 'X-RateLimit-Limit': '1000000' } };
      const record = (first as { record: object }).record;
      await store.completeIdempotencyKey(record, response);
      const given: [P, string, boolean, number, unknown][] = [
        [me, path, false, now, { kind: 'replay', response }],
        [me, '/v1/documents/doc_01HY2', false, now, { kind: 'mismatch' }],
        [me, path, true, now, { kind: 'mismatch' }],
        [as('wbk_write_only_key', now), path, false, now, { kind: 'reserved' }],
        [me, path, false, now + 24 * HOUR, { kind: 'reserved' }],
      ];
      for (const [by, p, hard, at, want] of given) {
        expect(await idempotent(store, { ...by, now: at }, 'idem-1', p, hard)).toMatchObject(want as object);
      }
      // The first request's answer may not overwrite the record that replaced its expired one.
      await store.completeIdempotencyKey(record, { status: 500 });
      const later = { ...me, now: now + 24 * HOUR };
      expect((await idempotent(store, later, 'idem-1', path)).kind).toBe('in-flight');
    });

    it('LeadLex: 1,000 concurrent deletes of one document through 50 connections: exactly one succeeds', async () => {
      await new LeadlexRedisStore(connection, clock).merge(seed('leadlex'));
      const stores = (await connections(50)).map((c) => new LeadlexRedisStore(c, new SharedClock(c)));
      const now = await clock.shared();
      const outcomes = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          stores[i % 50]!.deleteDocument(as('wbk_your_api_key_here', now), {
            documentId: 'doc_01HY4',
            hard: false,
            requestId: `req_${i}`,
          }),
        ),
      );
      expect(outcomes.filter((o) => o.kind === 'deleted')).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'not_found')).toHaveLength(999);
      const ws = (await stores[0]!.snapshot()).workspaces[0]!;
      expect(ws.auditLog!.filter((e) => e.documentId === 'doc_01HY4')).toHaveLength(1);
    });
  }

  it("Dify: answers in Dify's order and cascades", async () => {
    const store = new DifyRedisStore(connection);
    const given = seed<DifySeed>('dify');
    await store.merge(given);
    const [me, other] = given.accounts;
    const ds = me!.datasets[0]!;
    const byState = (pick: (d: DifySeed['accounts'][number]['datasets'][number]['documents'][number]) => boolean) =>
      me!.datasets.flatMap((d) => d.documents.filter(pick).map((doc) => [d.id, doc.id] as const))[0]!;
    const archived = byState((d) => Boolean(d.archived));
    const indexing = byState(
      (d) => !d.archived && ['waiting', 'parsing', 'cleaning', 'splitting', 'indexing'].includes(d.indexingStatus),
    );
    const deletable = byState((d) => !d.archived && ['completed', 'error', 'paused'].includes(d.indexingStatus));
    const cases: [string, string, string][] = [
      [other!.datasets[0]!.id, other!.datasets[0]!.documents[0]!.id, 'dataset_not_found'],
      [ds.id, '00000000-0000-4000-8000-000000000000', 'not_found'],
      [archived[0], archived[1], 'archived_document_immutable'],
      [indexing[0], indexing[1], 'document_indexing'],
      // UUIDs without case, as in memory (RFC 9562): the upper-case IDs name the same dataset and document.
      [deletable[0].toUpperCase(), deletable[1].toUpperCase(), 'deleted'],
      [deletable[0], deletable[1], 'not_found'],
    ];
    for (const [dataset, doc, want] of cases)
      expect(await store.deleteDocument({ id: me!.id }, dataset, doc), `${dataset}/${doc}`).toBe(want);
    expect(await store.authenticate(me!.apiKeys[0]!)).toEqual({ id: me!.id });
    const after = (await store.snapshot()).accounts[0]!.datasets.find((d) => d.id === deletable[0])!;
    expect(after.documents.map((d) => d.id)).not.toContain(deletable[1]);
  });

  it('Tavus: deletes once, within the account only', async () => {
    const store = new TavusRedisStore(connection);
    const given = seed<TavusSeed>('tavus');
    await store.merge(given);
    const [me, other] = given.accounts;
    const cases: [string, string, boolean][] = [
      [me!.id, other!.documents[0]!.id, false],
      [me!.id, me!.documents[0]!.id, true],
      [me!.id, me!.documents[0]!.id, false],
    ];
    for (const [account, doc, want] of cases) expect(await store.deleteDocument({ id: account }, doc)).toBe(want);
    expect(await store.authenticate(other!.apiKeys[0]!)).toEqual({ id: other!.id });
  });

  it('Velt: bulk-deletes 1,000 IDs in one step, reporting each, and remembers their Velt IDs', async () => {
    const store = new VeltRedisStore(connection, clock);
    await store.merge(seed('velt'));
    const ids = Array.from({ length: 1000 }, (_, i) => `bulk_${i}`);
    await store.merge({
      apps: [
        {
          id: 'app_demo',
          apiKey: '<x-velt-api-key>',
          authTokens: [],
          organizations: [{ id: 'org_bulk', documents: ids.map((id) => ({ id })) }],
        },
      ],
    });
    const demo = { id: 'app_demo' };
    const first = await results(store, demo, 'org_bulk', [...ids, ids[0]!]);
    expect(Object.keys(first!)).toEqual(ids);
    expect(Object.values(first!).every((r) => r.message === 'Deleted Successfully')).toBe(true);
    const gone = { success: true, id: internalId('org_bulk', 'bulk_7'), message: 'Document does not exist' };
    expect(first!['bulk_7']).toEqual({ ...gone, message: 'Deleted Successfully' });
    const again = await results(store, demo, 'org_bulk', ids);
    expect(Object.values(again!).filter((r) => r.message === 'Deleted Successfully')).toHaveLength(0);
    expect(again!['bulk_7']).toEqual(gone);
    const deleted = (id: string) => ({ success: true, id, message: 'Deleted Successfully' });
    const missing = (id: string) => ({ success: true, id, message: 'Document does not exist' });
    const cases: [string, string, string, unknown][] = [
      ['app_demo', 'yourOrganizationId', 'yourDocumentId1', deleted('6737987049068973')],
      ['app_demo', 'yourOrganizationId', 'yourDocumentId2', missing('2131443384150904')],
      ['app_demo', 'yourOrganizationId', 'never', missing(internalId('yourOrganizationId', 'never'))],
      ['app_other', 'yourOrganizationId', 'yourDocumentId3', undefined],
    ];
    for (const [app, org, id, want] of cases) {
      expect((await results(store, { id: app }, org, [id]))?.[id], `${app} ${org} ${id}`).toEqual(want);
    }
    expect(await store.authenticate('<x-velt-api-key>', '<x-velt-auth-token>')).toEqual(demo);
    expect(await store.authenticate('<x-velt-api-key>', 'expired-velt-auth-token')).toBeUndefined();
    expect(await store.authenticate('velt-other-api-key', '<x-velt-auth-token>')).toBeUndefined();
  });

  it('Velt: keeps the same state in memory and on Redis across deletes and re-added documents', async () => {
    const app = (organization: VeltSeed['apps'][number]['organizations'][number]) => ({
      apps: [{ id: 'app_demo', apiKey: '<x-velt-api-key>', authTokens: [], organizations: [organization] }],
    });
    const remove = async (store: MemoryVeltStore | VeltRedisStore, ids: string[]) =>
      results(store, (await store.app('<x-velt-api-key>'))!, 'org', ids);
    const steps: [string, (store: MemoryVeltStore | VeltRedisStore) => unknown][] = [
      [
        'seed',
        (s) =>
          s.merge(
            app({
              id: 'org',
              deletedDocuments: [{ id: 'z', internalId: '1' }],
              documents: [
                { id: 'a', internalId: '2' },
                { id: 'b', internalId: '3' },
                { id: 'c', internalId: '4' },
              ],
            }),
          ),
      ],
      ['delete b, a', (s) => remove(s, ['b', 'a'])],
      ['re-add a', (s) => s.merge(app({ id: 'org', documents: [{ id: 'a', internalId: '5' }] }))],
      ['delete a', (s) => remove(s, ['a'])],
    ];
    const want = {
      id: 'org',
      deletedDocuments: [
        { id: 'z', internalId: '1' },
        { id: 'b', internalId: '3' },
        { id: 'a', internalId: '5' },
      ],
      documents: [{ id: 'c', internalId: '4' }],
    };
    const memory = new MemoryVeltStore(new MockClock());
    const redis = new VeltRedisStore(connection, clock);
    for (const [name, step] of steps) {
      expect(await step(redis), name).toEqual(await step(memory));
      expect(await redis.snapshot(), name).toEqual(memory.snapshot());
    }
    expect((await redis.snapshot()).apps[0]!.organizations).toEqual([want]);
    expect(memory.snapshot().apps[0]!.organizations).toEqual([want]);
  });

  it('runs a script by its SHA, sending it in full once where a node lost it (NOSCRIPT), on every node', async () => {
    const store = new VeltRedisStore(connection, clock);
    // Thirty apps: on a cluster their slots are spread over every master.
    const apps = Array.from({ length: 30 }, (_, i) => ({
      id: `app_${i}`,
      apiKey: `key_${i}`,
      authTokens: [],
      organizations: [{ id: 'org', documents: [{ id: 'a' }, { id: 'b' }] }],
    }));
    await store.merge({ apps });
    const remove = (id: string) =>
      Promise.all(apps.map(async (app) => (await results(store, app, 'org', [id]))?.[id]?.message));
    const given: [string, boolean, string][] = [
      ['a', true, 'Deleted Successfully'],
      ['a', false, 'Document does not exist'],
      ['b', true, 'Deleted Successfully'],
    ];
    for (const [id, flushScripts, want] of given) {
      if (flushScripts) await server.flush(true);
      expect(await remove(id), `${id} after flushing scripts: ${flushScripts}`).toEqual(apps.map(() => want));
    }
  });

  it('1Flow: checks the webhook and its secret, then deletes', async () => {
    const store = new OneflowRedisStore(connection);
    const given = seed<OneflowSeed>('oneflow');
    await store.merge(given);
    const secured = given.webhooks.find((w) => w.secret !== undefined)!;
    const open = given.webhooks.find((w) => w.secret === undefined)!;
    const access: [string, string | undefined, string][] = [
      ['nope', undefined, 'webhook_not_found'],
      [secured.id, undefined, 'invalid_secret'],
      [secured.id, 'wrong', 'invalid_secret'],
      [secured.id, secured.secret, 'allowed'],
      [open.id, undefined, 'allowed'],
      [open.id, 'anything', 'allowed'],
    ];
    for (const [hook, secret, want] of access) expect(await store.access(hook, secret), `${hook} ${secret}`).toBe(want);
    const deletes: [string, string, boolean][] = [
      [secured.id, 'nope', false],
      [secured.id, secured.documents[0]!.id, true],
      [secured.id, secured.documents[0]!.id, false],
      [open.id, secured.documents[1]!.id, false],
      [open.id, open.documents[0]!.id, true],
    ];
    for (const [hook, doc, want] of deletes) expect(await store.deleteDocument(hook, doc), `${hook} ${doc}`).toBe(want);
  });

  it('shares the clock between connections and resets it', async () => {
    const [other] = await connections(1);
    const theirs = new SharedClock(other!);
    const before = await clock.shared();
    await theirs.advance(7200);
    expect(await clock.shared()).toBeGreaterThanOrEqual(before + 2 * HOUR);
    await clock.reset();
    expect(await theirs.shared()).toBeLessThan(before + HOUR);
  });

  it("resets one variant's keys only, one replica at a time, and seeds only a variant not seeded yet", async () => {
    const stores = (await connections(5)).map((c) => new TavusRedisStore(c));
    const dify = new DifyRedisStore(connection);
    await Promise.all(stores.map((s) => s.seed(seed('tavus'))));
    await dify.seed(seed('dify'));
    const want = seeded(new MemoryTavusStore(), seed<TavusSeed>('tavus')).snapshot();
    expect(await stores[0]!.snapshot()).toEqual(want);
    const [me] = seed<TavusSeed>('tavus').accounts;
    expect(await stores[0]!.deleteDocument({ id: me!.id }, me!.documents[0]!.id)).toBe(true);
    await stores[1]!.seed(seed('tavus'));
    expect((await stores[2]!.snapshot()).accounts[0]!.documents).toHaveLength(me!.documents.length - 1);
    // Five resets at once: each clears and reloads under the lock, so the end state is the seed, once.
    await Promise.all(stores.map((s) => s.reset()));
    expect(await stores[3]!.snapshot()).toEqual(want);
    expect((await dify.snapshot()).accounts).toHaveLength(seed<DifySeed>('dify').accounts.length);
    const broken = new TavusRedisStore(connection);
    await broken.seed({ accounts: [{ id: 'b', apiKeys: [], documents: [] }] });
    await broken.seed({ accounts: [{ id: 'a', apiKeys: [], documents: [{ id: 'x' }, { id: 'x' }] }] });
    await expect(broken.reset()).rejects.toThrow(
      /^\[tombstone\] The tavus seed does not load: Document x already exists in a\. Fix the seed file\.$/,
    );
  });
});
