/**
 * Dify's state on Redis, with the in-memory store's semantics (src/variants/dify/store.ts). Tenant = account.
 *   P{dify}:keys / :datasets     hash  API key → account / dataset ID → account (its owner)
 *   P{dify}:tenants              zset  account IDs in seed order
 *   P{dify:<account>}:keys       list  the account's API keys
 *   …:datasets                   hash  dataset ID → [seq, {name?}]
 *   …:docs:<dataset>             hash  document ID → [seq, document] (its chunks and child chunks inside it)
 * Dataset and document IDs are UUIDs, compared without case as in memory: fields and keys hold the lower-case ID,
 * and the entries the IDs as seeded.
 */
import {
  type AccountRef,
  type DeleteResult,
  type DifyStore,
  type Document,
  uuidKey as key,
  type Seed,
} from '../../variants/dify/store.js';
import { entry, LUA_ENTRY, ordered, orderedFields, type RedisConnection, type Script } from './connection.js';
import { RedisVariantStore } from './variant.js';

/** KEYS datasets, docs; ARGV dataset, document. deleteDocument.ts's checks in Dify's order, then the cascade. */
const DELETE = `${LUA_ENTRY}
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 'dataset_not_found' end
local e = entry(KEYS[2], ARGV[2])
if not e then return 'not_found' end
if e[2].archived then return 'archived_document_immutable' end
local s = e[2].indexingStatus
if s == 'waiting' or s == 'parsing' or s == 'cleaning' or s == 'splitting' or s == 'indexing' then
  return 'document_indexing'
end
redis.call('HDEL', KEYS[2], ARGV[2])
return 'deleted'`;

export class DifyRedisStore extends RedisVariantStore<Seed> implements DifyStore {
  private readonly delete: Script;

  constructor(connection: RedisConnection) {
    super(connection, 'dify');
    this.delete = connection.script(2, DELETE);
  }

  private docs(account: string, dataset: string): string {
    return `${this.tenant(account)}docs:${encodeURIComponent(dataset)}`;
  }

  /** A dataset of another account, or a document already in its dataset, is refused. */
  async mergeLocked(seed: Seed): Promise<string | undefined> {
    for (const acc of seed.accounts) {
      for (const ds of acc.datasets) {
        const owner = await this.connection.client.hget(`${this.index}datasets`, key(ds.id));
        if (owner !== null && owner !== acc.id) return `Dataset ${ds.id} already belongs to ${owner}`;
        const id = await this.duplicate(
          owner === null ? undefined : this.docs(acc.id, key(ds.id)),
          ds.documents.map((d) => key(d.id)),
        );
        if (id !== undefined) return `Document ${id} already exists in dataset ${ds.id}`;
      }
    }
    for (const acc of seed.accounts) await this.mergeAccount(acc);
    return undefined;
  }

  private async mergeAccount(acc: Seed['accounts'][number]): Promise<void> {
    const t = this.tenant(acc.id);
    const known = await this.connection.fields(
      `${t}datasets`,
      acc.datasets.map((ds) => key(ds.id)),
    );
    let seq = await this.connection.reserve(
      `${t}seq`,
      acc.datasets.reduce((n, ds) => n + ds.documents.length + 1, 0),
    );
    const { tx, index } = this.write();
    await this.addAccount(tx, index, acc.id, acc.apiKeys);
    for (const [i, ds] of acc.datasets.entries()) {
      if (known[i] == null) {
        tx.hset(
          `${t}datasets`,
          key(ds.id),
          entry(seq++, ds.name !== undefined ? { id: ds.id, name: ds.name } : { id: ds.id }),
        );
        index.hset(`${this.index}datasets`, key(ds.id), acc.id);
      }
      for (const doc of ds.documents) tx.hset(this.docs(acc.id, key(ds.id)), key(doc.id), entry(seq++, doc));
    }
    await this.commit(tx, index);
  }

  async snapshot(): Promise<Seed> {
    const { client } = this.connection;
    return {
      accounts: await this.eachTenant(async (id, t) => {
        const [apiKeys, datasets] = await Promise.all([
          client.lrange(`${t}keys`, 0, -1),
          client.hgetall(`${t}datasets`),
        ]);
        const documents = async (ds: string) => ordered<Document>(await client.hgetall(this.docs(id, ds)));
        return {
          id,
          apiKeys,
          datasets: await Promise.all(
            orderedFields<{ id: string; name?: string }>(datasets).map(async ([ds, about]) => ({
              ...about,
              documents: await documents(ds),
            })),
          ),
        };
      }),
    };
  }

  /** The account the key belongs to. */
  async authenticate(key: string): Promise<AccountRef | undefined> {
    const id = await this.connection.client.hget(`${this.index}keys`, key);
    return id === null ? undefined : { id };
  }

  /** Checks and deletes in one step; another account's dataset is as missing as an unknown one. */
  async deleteDocument({ id }: AccountRef, datasetId: string, documentId: string): Promise<DeleteResult> {
    const keys = [`${this.tenant(id)}datasets`, this.docs(id, key(datasetId))];
    return (await this.delete(keys, [key(datasetId), key(documentId)])) as DeleteResult;
  }
}
