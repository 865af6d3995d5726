/**
 * The shared state `tombstone serve --store redis://…` (or `redis+cluster://…`) runs on: one Redis store per variant,
 * the shared clock, and what the mock layer needs while Redis is out of reach (src/mock/types.ts, SharedState).
 */
import type { SharedState } from '../../mock/types.js';
import { SharedClock } from './clock.js';
import { DEFAULT_PREFIX, isUnavailable, RedisConnection, redactStoreUrl } from './connection.js';
import { DifyRedisStore } from './dify.js';
import { LeadlexRedisStore } from './leadlex.js';
import { OneflowRedisStore } from './oneflow.js';
import { TavusRedisStore } from './tavus.js';
import { VeltRedisStore } from './velt.js';

const RESEED_RETRY_MS = 200;
const RESEED_ATTEMPTS = 50;

/** A variant's store on Redis, as the runtime takes it, with the seed it loads once and resets to. */
type Store = ReturnType<SharedState['store']> & { seed(seed: unknown): Promise<void> };

/** Each variant's Redis store, by the variant's name (test/redis-scripts.test.ts checks every variant has one). */
export const redisStores: Record<string, (connection: RedisConnection, clock: SharedClock) => Store> = {
  leadlex: (connection, clock) => new LeadlexRedisStore(connection, clock),
  dify: (connection) => new DifyRedisStore(connection),
  tavus: (connection) => new TavusRedisStore(connection),
  velt: (connection, clock) => new VeltRedisStore(connection, clock),
  oneflow: (connection) => new OneflowRedisStore(connection),
};

/**
 * Connects to Redis and joins (or, the first replica there, seeds) the state of each variant given with its seed.
 * Seeds again, by itself, whatever a Redis restarted without its data lost.
 */
export async function openRedisState(
  url: string,
  seeds: Map<string, unknown>,
  prefix = DEFAULT_PREFIX,
): Promise<SharedState> {
  const connection = await RedisConnection.connect(url, prefix);
  const clock = new SharedClock(connection);
  const stores = new Map([...seeds.keys()].map((name) => [name, redisStores[name]!(connection, clock)]));
  const seedAll = () => Promise.all([...stores].map(([name, store]) => store.seed(seeds.get(name) as never)));
  await seedAll();
  // Right after a reconnect a node (or the other connection) may not be back yet: a reseed that cannot reach Redis is
  // tried again, RESEED_ATTEMPTS times at most (the next reconnect tries again), one reseed at a time, until closed.
  let reseeding = false;
  const reseed = async () => {
    if (reseeding) return;
    reseeding = true;
    for (let attempt = 1; ; attempt++) {
      try {
        await seedAll();
        break;
      } catch (err) {
        if (connection.client.status === 'end') break;
        if (!isUnavailable(err) || attempt === RESEED_ATTEMPTS) {
          console.error(`[tombstone] Reseeding ${redactStoreUrl(url)} after a reconnect failed:`, err);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, RESEED_RETRY_MS));
      }
    }
    reseeding = false;
  };
  connection.client.on('ready', () => void reseed());
  return {
    kind: 'redis',
    clock,
    describe: redactStoreUrl(url),
    store: (name) => stores.get(name)!,
    isUnavailable,
    reachable: () => connection.reachable(),
    close: () => connection.quit(),
  };
}
