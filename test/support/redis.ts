/**
 * Real Redis for the Redis suites: each suite starts its own, on free ports, without persistence, and stops it. A
 * suite runs once per kind of Redis (`describeEachRedis`): one redis-server, and a Redis Cluster of three masters.
 * Where redis-server (or, for the cluster, redis-cli beside it) is missing, those suites are skipped with one line
 * (printed once, by `setup`, which vitest runs as a global setup), unless CI=true: there they fail, so CI never passes
 * without running them.
 */
import { describe, it } from 'vitest';
import { RedisCluster, redisCliPath } from './redisCluster.js';
import { RedisServer, redisServerPath } from './redisServer.js';

/** A running Redis of either kind, as the suites use it. */
export interface TestRedis {
  /** What `--store` takes. */
  readonly url: string;
  /** Deletes every key; with `scripts`, every cached script instead (on every node). */
  flush(scripts?: boolean): Promise<void>;
  /** Stops it (an outage) and starts it again, empty, at the same address. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good. */
  close(): Promise<void>;
}

export interface RedisKind {
  name: string;
  /** Started, it is a RedisCluster (for the tests of one master away). */
  cluster: boolean;
  /** Why its suites cannot run here, if they cannot. */
  missing: string | undefined;
  start(): Promise<TestRedis>;
}

const serverPath = redisServerPath();

export const SKIP_LINE =
  '[tombstone] Redis suites skipped: redis-server not found. ' +
  'Install it (apt-get install -y redis-server) or set REDIS_SERVER=/path to run them.';

export const redisKinds: RedisKind[] = [
  {
    name: 'one redis-server',
    cluster: false,
    missing: serverPath ? undefined : SKIP_LINE,
    start: async () => {
      const server = await RedisServer.start();
      return Object.assign(server, { close: () => server.stop() });
    },
  },
  {
    name: 'a Redis Cluster of three masters',
    cluster: true,
    missing: serverPath
      ? redisCliPath()
        ? undefined
        : `[tombstone] Redis Cluster suites skipped: redis-cli not found beside ${serverPath}. ` +
          'Install it with redis-server.'
      : SKIP_LINE,
    start: () => RedisCluster.start(),
  },
];

/** vitest's global setup: one line for each reason Redis suites are skipped, or nothing. */
export function setup(): void {
  if (process.env['CI'] === 'true') return;
  for (const line of new Set(redisKinds.flatMap((kind) => kind.missing ?? []))) console.log(line);
}

/**
 * A describe block that needs `kind` of Redis: skipped without it, failing without it when CI=true. `body` gets the
 * kind (to start one in its hooks).
 */
function describeRedis(kind: RedisKind, name: string, body: (backend: RedisKind) => void): void {
  const title = `${name} (${kind.name})`;
  if (!kind.missing) describe(title, () => body(kind));
  else if (process.env['CI'] === 'true')
    describe(title, () =>
      it('needs Redis (CI=true never skips)', () => {
        throw new Error(kind.missing!.replace('skipped', 'cannot run'));
      }),
    );
  else describe.skip(title, () => body(kind));
}

/** `describeRedis` once for each kind of Redis. */
export function describeEachRedis(name: string, body: (backend: RedisKind) => void): void {
  for (const kind of redisKinds) describeRedis(kind, name, body);
}
