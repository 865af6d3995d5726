/** What every variant's Redis store shares: its key names, its tenants in seed order and its locked merge. */
import type { ChainableCommander } from 'ioredis';
import { TombstoneError } from '../../errors.js';
import type { RedisConnection } from './connection.js';

export abstract class RedisVariantStore<Seed> {
  /** `P{variant}:`, the variant's own keys. */
  protected readonly index: string;

  constructor(
    protected readonly connection: RedisConnection,
    private readonly variant: string,
  ) {
    this.index = connection.variantKeys(variant);
  }

  /** `P{variant:tenant}:`, one tenant's keys. */
  protected tenant(id: string): string {
    return this.connection.tenantKeys(this.variant, id);
  }

  /** Adds the fragment, or refuses it (the reason) changing nothing; one merge or reset of a variant at a time. */
  merge(seed: Seed): Promise<string | undefined> {
    return this.connection.withLock(this.variant, () => this.mergeLocked(seed));
  }

  /**
   * Back to the seed: every key of the variant deleted, then the seed loaded, while holding the lock, so two
   * replicas resetting at once do it one after the other. A request served meanwhile may see the state half-reset.
   */
  reset(): Promise<void> {
    return this.connection.withLock(this.variant, async () => {
      await this.connection.clear(this.variant);
      await this.load();
    });
  }

  /**
   * Takes `seed` as the variant's seed (what a reset goes back to) and loads it unless the variant's state is
   * already there: the first replica to start seeds the shared state, the others join it as it is. Run again when
   * Redis comes back empty (restarted without persistence), it seeds it again.
   */
  seed(seed: Seed): Promise<void> {
    this.seedData = seed;
    return this.connection.withLock(this.variant, async () => {
      if ((await this.connection.client.exists(`${this.index}seeded`)) === 0) await this.load();
    });
  }

  private seedData: Seed | undefined;

  private async load(): Promise<void> {
    if (this.seedData === undefined) throw new TombstoneError(`[tombstone] The ${this.variant} store has no seed yet.`);
    const conflict = await this.mergeLocked(structuredClone(this.seedData));
    if (conflict)
      throw new TombstoneError(`[tombstone] The ${this.variant} seed does not load: ${conflict}. Fix the seed file.`);
    await this.connection.client.set(`${this.index}seeded`, '1');
  }

  /**
   * `merge` for a caller holding the lock: no other merge runs, so what is checked stays true while it is written
   * (deletes only remove). Each tenant is written in one MULTI, so no reader sees half of one.
   */
  abstract mergeLocked(seed: Seed): Promise<string | undefined>;

  /** The tenants' IDs, in the order they were added. */
  protected tenants(): Promise<string[]> {
    return this.connection.client.zrange(`${this.index}tenants`, '0', '-1');
  }

  /** Each tenant's part of the snapshot, from its ID and its keys' prefix, in tenant order. */
  protected async eachTenant<T>(part: (id: string, keys: string) => Promise<T>): Promise<T[]> {
    return Promise.all((await this.tenants()).map((id) => part(id, this.tenant(id))));
  }

  /** Two transactions for one tenant's write: `tx` for its keys, `index` for the variant's own; see `commit`. */
  protected write(): { tx: ChainableCommander; index: ChainableCommander } {
    return { tx: this.connection.multi(), index: this.connection.multi() };
  }

  /**
   * Runs the tenant's transaction, then the variant's: under Redis Cluster the tenant's keys and the variant's are in
   * different slots, and one MULTI may touch one slot only. In this order the indexes (tenants, API keys, owners)
   * name a tenant only once all of it is written.
   */
  protected async commit(tx: ChainableCommander, index: ChainableCommander): Promise<void> {
    await tx.exec();
    await index.exec();
  }

  /** Whether the tenant is new; if so, `index` adds it to the tenants. */
  protected async addTenant(index: ChainableCommander, id: string): Promise<boolean> {
    const { client } = this.connection;
    if ((await client.zscore(`${this.index}tenants`, id)) !== null) return false;
    index.zadd(`${this.index}tenants`, await client.incr(`${this.index}seq`), id);
    return true;
  }

  /**
   * Adds API keys no tenant has yet: `index` maps each to `value` in `P{variant}:keys` (what authentication
   * finds); returns those added, which the tenant keeps in its own keys. A key already there, or repeated in
   * `keys`, keeps its first tenant, as in memory (the caller holds the lock: no other merge adds one meanwhile).
   */
  protected async addKeys<K extends { key: string; value: string }>(
    index: ChainableCommander,
    keys: K[],
  ): Promise<K[]> {
    const owners = await this.connection.fields(
      `${this.index}keys`,
      keys.map((k) => k.key),
    );
    const added = new Map<string, K>();
    for (const [i, k] of keys.entries()) if (owners[i] === null && !added.has(k.key)) added.set(k.key, k);
    if (added.size > 0) index.hset(`${this.index}keys`, new Map([...added].map(([key, k]) => [key, k.value])));
    return [...added.values()];
  }

  /**
   * Adds an account-like tenant (Dify's, Tavus's): itself, and its API keys, each mapped to its ID; the tenant's
   * `keys` list keeps them for its snapshot.
   */
  protected async addAccount(
    tx: ChainableCommander,
    index: ChainableCommander,
    id: string,
    apiKeys: string[],
  ): Promise<void> {
    await this.addTenant(index, id);
    const added = await this.addKeys(
      index,
      apiKeys.map((key) => ({ key, value: id })),
    );
    if (added.length > 0) tx.rpush(`${this.tenant(id)}keys`, ...added.map((k) => k.key));
  }

  /** The first of `ids` that is a field of `hash` (if given) or repeated in `ids`. */
  protected async duplicate(hash: string | undefined, ids: string[]): Promise<string | undefined> {
    const existing = hash === undefined ? [] : await this.connection.fields(hash, ids);
    const seen = new Set<string>();
    for (const [i, id] of ids.entries()) {
      if (existing[i] != null || seen.has(id)) return id;
      seen.add(id);
    }
    return undefined;
  }
}
