/**
 * The Redis side of the shared store: the connection, the key layout, the scripts and the lock (`P lock:<variant>`)
 * that serialises seeding, merging and resets. Every replica started with the same `--store` and `--store-prefix`
 * sees one state.
 *
 * Key layout (P = the prefix, `tombstone:` by default): `P{<variant>}:…` holds a variant's indexes (API key →
 * tenant, tenants in seed order); `P{<variant>:<tenant>}:…` holds one tenant's documents, audit log, rate-limit
 * windows and idempotency records. The `{…}` is a Redis Cluster hash tag: all of a tenant's keys live in one slot, so
 * each script, which touches one tenant only, runs atomically on one node; a merge's transactions touch one slot
 * each too (variant.ts, `commit`). IDs in key names are percent-encoded, so no ID can break out of its tag or collide
 * with another key. `--store redis+cluster://…` runs on a Cluster: the same commands through ioredis's Cluster.
 *
 * The mock clock is `P clock`: the offset (ms) that `POST /_mock/clock` adds, shared by every replica. Now is Redis's
 * own `TIME` plus that offset, read per request: by one small script auto-pipelined with the credential lookup
 * (Velt), or, where a tenant's script needs it, from the tenant's copy of the offset in its own slot (LeadLex;
 * clock.ts keeps the copies equal). Under Cluster a tenant's script cannot read a key in another slot, and a cached
 * offset would let a replica act on an old time after another replica advanced it. Redis's clock rather than each
 * replica's keeps replicas on different machines in agreement.
 */
import { createHash } from 'node:crypto';
import { type ChainableCommander, Cluster, Redis } from 'ioredis';
import { TombstoneError, UsageError } from '../../errors.js';

export const DEFAULT_PREFIX = 'tombstone:';
/** Letters, digits and `:_.-`: no glob character (resets match keys by prefix) and no `{}` (hash tags). */
const PREFIX_PATTERN = /^[A-Za-z0-9:_.-]{0,64}$/;

const LOCK_MS = 10_000;
/** How long a merge or reset waits for another replica's (loading a seed of a million documents takes minutes). */
const LOCK_WAIT_MS = 300_000;
const BULK_FIELDS = 10_000;
const LOCK_POLL_MS = 10;

/** A Redis node's address. */
export interface RedisNode {
  host: string;
  port: number;
}

/** What a `--store` URL may carry to log in (Redis 6 ACL user, or the `requirepass` password alone). */
export interface RedisAuth {
  username?: string;
  password?: string;
}

/** `--store`: one Redis (its node and database), or a Redis Cluster (any of its nodes; each finds the others). */
export type StoreUrl = ({ cluster: false; node: RedisNode; db: number } | { cluster: true; nodes: RedisNode[] }) & {
  auth: RedisAuth;
};

const SINGLE = 'redis://';
const CLUSTER = 'redis+cluster://';

/**
 * `redis://[[user]:password@]host:port[/db]` or `redis+cluster://[[user]:password@]host:port[,host:port…]` (seed
 * nodes: each is asked for the cluster's layout, so one reachable node is enough; the login is every node's), as
 * `--store` and TOMBSTONE_STORE take them. User and password are percent-decoded, as in any URL.
 */
export function parseStoreUrl(value: string): StoreUrl {
  const usage = new UsageError(
    `[tombstone] Invalid store '${redactStoreUrl(value)}': expected memory, ${SINGLE}[[user]:password@]host:port[/db] or ` +
      `${CLUSTER}[[user]:password@]host:port[,host:port…] (e.g. ${SINGLE}127.0.0.1:6379/0, ` +
      `${CLUSTER}10.0.0.1:7000,10.0.0.2:7000).`,
  );
  const cluster = value.startsWith(CLUSTER);
  if (!cluster && !value.startsWith(SINGLE)) throw usage;
  const rest = value.slice((cluster ? CLUSTER : SINGLE).length);
  const at = rest.lastIndexOf('@');
  const auth = at === -1 ? {} : login(rest.slice(0, at), usage);
  const parts = rest.slice(at + 1).split('/');
  const [hosts = '', db = ''] = parts;
  if (parts.length > 2) throw usage;
  const nodes = hosts.split(',').map((host) => {
    let url: URL;
    try {
      url = new URL(`${SINGLE}${host}`);
    } catch {
      throw usage;
    }
    if (!url.hostname || url.search || url.hash || url.username || url.password) throw usage;
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? 6379 : Number(url.port) };
  });
  // A cluster has database 0 only.
  if (cluster && db === '') return { cluster, nodes, auth };
  if (cluster || nodes.length !== 1 || !/^\d*$/.test(db)) throw usage;
  return { cluster, node: nodes[0]!, db: Number(db), auth };
}

/** `user:password`, `:password` or `user` (ACL user `default` when none is given, as Redis does). */
function login(userinfo: string, usage: UsageError): RedisAuth {
  const colon = userinfo.indexOf(':');
  const [user, password] = colon === -1 ? [userinfo, undefined] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
  try {
    return {
      ...(user ? { username: decodeURIComponent(user) } : {}),
      ...(password ? { password: decodeURIComponent(password) } : {}),
    };
  } catch {
    throw usage;
  }
}

/** The store URL as messages, the start-up banner and `/_mock/health` show it: its password as `***`. */
export function redactStoreUrl(value: string): string {
  return value.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

export function checkPrefix(prefix: string): string {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new UsageError(
      `[tombstone] Invalid --store-prefix '${prefix}': use up to 64 letters, digits and : _ . - ` +
        `(default ${DEFAULT_PREFIX}).`,
    );
  }
  return prefix;
}

/** A script's call: its keys, then its arguments. ioredis sends EVALSHA and falls back to EVAL once per script. */
export type Script = (keys: string[], args: (string | number)[]) => Promise<unknown>;

/** One Redis, or a Redis Cluster: the same commands (a cluster sends each to the node of its key's slot). */
type Client = Redis | Cluster;

export class RedisConnection {
  readonly clockKey: string;
  private readonly holdOrRelease: Script;

  private constructor(
    readonly client: Client,
    /**
     * Merges' transactions and long argument lists go here: ioredis's auto-pipelining passes each command's
     * arguments on as a spread, which overflows the stack at about 100,000 of them (a large seed).
     */
    private readonly bulk: Client,
    readonly prefix: string,
  ) {
    this.clockKey = `${prefix}clock`;
    // KEYS lock; ARGV token, then a time to live (ms) to extend it by, or none to release it: only the holder may.
    this.holdOrRelease = this.script(
      1,
      `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('DEL', KEYS[1])`,
    );
  }

  /**
   * Connects, failing fast while Redis is away (no offline queue, no retries) so that a request gets
   * the documented 503 instead of waiting; ioredis keeps reconnecting in the background, so service resumes.
   * A cluster's client learns its layout from the seed nodes and follows it (MOVED, ASK); a command is sent again
   * only when Redis refused it without running it (a redirect, TRYAGAIN, CLUSTERDOWN), never after a lost answer.
   */
  static async connect(url: string, prefix = DEFAULT_PREFIX): Promise<RedisConnection> {
    const store = parseStoreUrl(url);
    const retryStrategy = (attempt: number) => Math.min(50 * attempt, 1000);
    const node = {
      // Never resent after a reconnect: a script that ran but whose answer was lost would run twice.
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      ...store.auth,
    };
    const open = (enableAutoPipelining: boolean): Client => {
      const options = { lazyConnect: true, enableAutoPipelining, enableOfflineQueue: false };
      if (!store.cluster) return new Redis({ ...store.node, db: store.db, ...options, ...node, retryStrategy });
      // retryDelayOnFailover 0: a command whose node's connection closed is not sent again (see above).
      return new Cluster(store.nodes, {
        ...options,
        redisOptions: node,
        retryDelayOnFailover: 0,
        clusterRetryStrategy: retryStrategy,
      });
    };
    const client = open(true);
    const bulk = open(false);
    // Errors reach the commands that fail; without a listener ioredis would print each reconnect attempt. The last
    // one says why a cluster could not be joined (connect only says that no seed node answered).
    let last: Error | undefined;
    for (const c of [client, bulk]) c.on('error', (err: Error) => (last = lastNodeError(err)));
    try {
      await Promise.all([client.connect(), bulk.connect()]);
      await Promise.all([client, bulk].map(connectNodes));
      for (const c of [client, bulk]) c.on('ready', () => void connectNodes(c).catch(() => {}));
      await refuseClusterNode(client);
    } catch (err) {
      client.disconnect();
      bulk.disconnect();
      if (err instanceof UsageError) throw err;
      const why = (last ?? (err as Error)).message.replace(/\.$/, '');
      if (why.includes('cluster support disabled')) {
        throw new UsageError(
          `[tombstone] The store ${redactStoreUrl(url)} is not a Redis Cluster (${why}): use --store ${SINGLE}host:port[/db].`,
        );
      }
      throw new TombstoneError(
        `[tombstone] Cannot reach Redis at ${redactStoreUrl(url)}: ${why}. Start it, or check --store.`,
      );
    }
    return new RedisConnection(client, bulk, checkPrefix(prefix));
  }

  /**
   * A script, run by its SHA (EVALSHA); sent in full (EVAL, which also caches it) only when Redis answers NOSCRIPT:
   * the script did not run, so running it then cannot run it twice. Not ioredis's defineCommand: under
   * auto-pipelining it sends the whole script with every call (it remembers loaded scripts per socket, and each
   * pipeline writes through a new stand-in object), measured at an eighth of the mock's CPU.
   */
  script(numberOfKeys: number, lua: string): Script {
    const sha = createHash('sha1').update(lua).digest('hex');
    return async (keys, args) => {
      try {
        return await this.client.evalsha(sha, numberOfKeys, ...keys, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return this.client.eval(lua, numberOfKeys, ...keys, ...args);
      }
    };
  }

  /** `P{variant}:` — a variant's own keys. */
  variantKeys(variant: string): string {
    return `${this.prefix}{${variant}}:`;
  }

  /** `P{variant:tenant}:` — one tenant's keys, in one Cluster slot. */
  tenantKeys(variant: string, tenant: string): string {
    return `${this.prefix}{${variant}:${encodeURIComponent(tenant)}}:`;
  }

  /** Reserves `count` numbers of the counter at `key`; returns the first. */
  async reserve(key: string, count: number): Promise<number> {
    return (await this.client.incrby(key, count)) - count + 1;
  }

  /**
   * Deletes every key of a variant (its indexes and all its tenants'), SCANning each master of a cluster. One UNLINK
   * per key: a cluster refuses a command whose keys are in different slots.
   */
  async clear(variant: string): Promise<void> {
    for (const node of await this.masters()) {
      for (const match of [`${this.prefix}{${variant}}*`, `${this.prefix}{${variant}:*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
          if (keys.length > 0) await node.pipeline(keys.map((key) => ['unlink', key])).exec();
          cursor = next;
        } while (cursor !== '0');
      }
    }
  }

  /**
   * The nodes that hold the keys: the one Redis, or each master of the cluster. A master that went away has left
   * the cluster client's nodes: the slots are read again then, which brings it back (to answer, or to fail).
   */
  private async masters(): Promise<Redis[]> {
    const { client } = this;
    if (!(client instanceof Cluster)) return [client];
    if (masterCount(client) !== client.nodes('master').length)
      await new Promise<void>((resolve) => client.refreshSlotsCache(() => resolve()));
    return client.nodes('master');
  }

  /**
   * Whether the state can be reached: the one Redis answers, or the cluster is joined and each master its slots
   * name answers (a cluster with a master away serves some tenants and not others: not reachable).
   */
  async reachable(): Promise<boolean> {
    const { client } = this;
    if (client instanceof Cluster && client.status !== 'ready') return false;
    const masters = await this.masters();
    if (client instanceof Cluster && masterCount(client) !== masters.length) return false;
    return Promise.all(masters.map((node) => node.ping())).then(
      () => true,
      () => false,
    );
  }

  /**
   * Runs `task` while holding the variant's lock, so that seeding, merges and resets of one variant run one at a
   * time across every replica. The lock expires by itself if its holder dies; waiting for it is bounded.
   */
  async withLock<T>(variant: string, task: () => Promise<T>): Promise<T> {
    // Outside the variant's keys, so that clearing them under the lock leaves the lock in place.
    const key = `${this.prefix}lock:${variant}`;
    const token = crypto.randomUUID();
    for (let attempt = 0; ; attempt++) {
      if ((await this.client.set(key, token, 'PX', LOCK_MS, 'NX')) === 'OK') break;
      if (attempt * LOCK_POLL_MS > LOCK_WAIT_MS) {
        throw new TombstoneError(
          `[tombstone] The ${variant} state stayed locked for ${LOCK_WAIT_MS / 1000} s. Try again.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    // Held for as long as the task runs (seeding a large seed takes a while); it lapses LOCK_MS after a crash.
    const hold = setInterval(() => void this.holdOrRelease([key], [token, LOCK_MS]).catch(() => {}), LOCK_MS / 3);
    try {
      return await task();
    } finally {
      clearInterval(hold);
      await this.holdOrRelease([key], [token]);
    }
  }

  /** A transaction, on its own connection: what it queues runs as one step. */
  multi(): ChainableCommander {
    return this.bulk.multi();
  }

  /** HMGET of any number of fields, BULK_FIELDS at a time. */
  async fields(hash: string, names: string[]): Promise<(string | null)[]> {
    const out: (string | null)[] = [];
    for (let i = 0; i < names.length; i += BULK_FIELDS)
      out.push(...(await this.bulk.hmget(hash, ...names.slice(i, i + BULK_FIELDS))));
    return out;
  }

  async quit(): Promise<void> {
    await Promise.all([this.client, this.bulk].map((c) => c.quit().catch(() => c.disconnect())));
  }
}

/**
 * A cluster's client connects to a node when it first sends to it, and without an offline queue refuses what is sent
 * to it meanwhile ("Connection is closed"): once joined (at the start, after an outage), every node is connected.
 */
async function connectNodes(client: Client): Promise<void> {
  if (!(client instanceof Cluster)) return;
  await Promise.all(
    client
      .nodes()
      .filter((node) => node.status === 'wait')
      .map((node) => node.connect()),
  );
}

/** How many masters the cluster's slots name (none before it is joined). */
function masterCount(cluster: Cluster): number {
  return new Set(cluster.slots.flatMap((nodes) => nodes[0] ?? [])).size;
}

/** The error that says why: a cluster's "Failed to refresh slots cache" carries its last node's. */
function lastNodeError(err: Error): Error {
  return (err as { lastNodeError?: Error }).lastNodeError ?? err;
}

/**
 * A Redis Cluster node given as `redis://` is refused: through it alone the keys of other nodes' slots would fail
 * (MOVED). The usage line names the form that works.
 */
async function refuseClusterNode(client: Client): Promise<void> {
  if (client instanceof Cluster || !/^cluster_enabled:1\r?$/m.test(await client.info('cluster'))) return;
  const { host = '', port } = client.options;
  const node = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  throw new UsageError(
    `[tombstone] The store ${SINGLE}${node} is a Redis Cluster node: use --store ` +
      `${CLUSTER}${node}[,host:port…] to reach every node's keys.`,
  );
}

/**
 * Whether a command failed because Redis could not be reached (down, restarting, connection lost mid-command; a
 * cluster not joined, without a master for the command's slot, or moving it: a redirect the client could not
 * follow, which Redis answered without running the command), rather than because of the command: the mock answers
 * the first with its documented 503.
 */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { code } = err as NodeJS.ErrnoException;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    err.name === 'ClusterAllFailedError' ||
    /Stream isn't writeable|Connection is closed|connect ETIMEDOUT|Cluster isn't ready|None of startup nodes/.test(
      err.message,
    ) ||
    /^(CLUSTERDOWN|MOVED|ASK|TRYAGAIN) /.test(err.message) ||
    (code !== undefined && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code))
  );
}

/** Lua: `[seq, value]` entries keep seed order in hashes (Redis hashes have none); decode one, or nil. */
export const LUA_ENTRY = `
local function entry(hash, field)
  local v = redis.call('HGET', hash, field)
  if v then return cjson.decode(v) end
  return nil
end
`;

/** A hash of `[seq, value]` entries as its fields and values, in the order they were added. */
export function orderedFields<T>(hash: Record<string, string>): [string, T][] {
  return Object.entries(hash)
    .map(([field, text]) => [field, JSON.parse(text) as [number, T]] as const)
    .sort((a, b) => a[1][0] - b[1][0])
    .map(([field, e]) => [field, e[1]]);
}

/** A hash of `[seq, value]` entries as its values, in the order they were added. */
export function ordered<T>(hash: Record<string, string>): T[] {
  return orderedFields<T>(hash).map((e) => e[1]);
}

export function entry(seq: number, value: unknown): string {
  return JSON.stringify([seq, value]);
}
