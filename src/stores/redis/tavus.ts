/**
 * Tavus's state on Redis, with the in-memory store's semantics (src/variants/tavus/store.ts). Tenant = account.
 *   P{tavus}:keys              hash  API key → account
 *   P{tavus}:tenants           zset  account IDs in seed order
 *   P{tavus:<account>}:keys    list  the account's API keys
 *   …:docs                     hash  document ID → [seq, document] (its associated data inside it)
 * A delete is one HDEL: atomic by itself, so it needs no script.
 */
import type { AccountRef, Document, Seed, TavusStore } from '../../variants/tavus/store.js';
import { entry, ordered, type RedisConnection } from './connection.js';
import { RedisVariantStore } from './variant.js';

export class TavusRedisStore extends RedisVariantStore<Seed> implements TavusStore {
  constructor(connection: RedisConnection) {
    super(connection, 'tavus');
  }

  /** A document already in its account is refused. */
  async mergeLocked(seed: Seed): Promise<string | undefined> {
    for (const acc of seed.accounts) {
      const id = await this.duplicate(
        `${this.tenant(acc.id)}docs`,
        acc.documents.map((doc) => doc.id),
      );
      if (id !== undefined) return `Document ${id} already exists in ${acc.id}`;
    }
    for (const acc of seed.accounts) {
      const t = this.tenant(acc.id);
      let seq = await this.connection.reserve(`${t}seq`, acc.documents.length);
      const { tx, index } = this.write();
      await this.addAccount(tx, index, acc.id, acc.apiKeys);
      for (const doc of acc.documents) tx.hset(`${t}docs`, doc.id, entry(seq++, doc));
      await this.commit(tx, index);
    }
    return undefined;
  }

  async snapshot(): Promise<Seed> {
    const { client } = this.connection;
    return {
      accounts: await this.eachTenant(async (id, t) => {
        const [apiKeys, docs] = await Promise.all([client.lrange(`${t}keys`, 0, -1), client.hgetall(`${t}docs`)]);
        return { id, apiKeys, documents: ordered<Document>(docs) };
      }),
    };
  }

  /** The account the key belongs to. */
  async authenticate(key: string): Promise<AccountRef | undefined> {
    const id = await this.connection.client.hget(`${this.index}keys`, key);
    return id === null ? undefined : { id };
  }

  /** Removes the document and its associated data; false if the account has no such document. */
  async deleteDocument({ id }: AccountRef, documentId: string): Promise<boolean> {
    return (await this.connection.client.hdel(`${this.tenant(id)}docs`, documentId)) === 1;
  }
}
