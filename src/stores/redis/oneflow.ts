/**
 * 1Flow's state on Redis, with the in-memory store's semantics (src/variants/oneflow/store.ts). Tenant = webhook.
 *   P{oneflow}:tenants          zset    webhook IDs in seed order
 *   P{oneflow:<webhook>}:hook   string  {secret?}
 *   …:docs                      hash    document ID → [seq, document] (extracted data, index entries, files inside)
 */
import type { Access, Document, OneflowStore, Seed } from '../../variants/oneflow/store.js';
import { entry, ordered, type RedisConnection } from './connection.js';
import { RedisVariantStore } from './variant.js';

interface Webhook {
  id: string;
  secret?: string;
}

export class OneflowRedisStore extends RedisVariantStore<Seed> implements OneflowStore {
  constructor(connection: RedisConnection) {
    super(connection, 'oneflow');
  }

  /** Another secret for a webhook, or a document already in it, is refused. */
  async mergeLocked(seed: Seed): Promise<string | undefined> {
    for (const w of seed.webhooks) {
      const existing = await this.webhook(w.id);
      if (existing && w.secret !== undefined && existing.secret !== w.secret)
        return `Webhook ${w.id} has another secret`;
      const id = await this.duplicate(
        existing && `${this.tenant(w.id)}docs`,
        w.documents.map((doc) => doc.id),
      );
      if (id !== undefined) return `Document ${id} already exists in webhook ${w.id}`;
    }
    for (const w of seed.webhooks) {
      const t = this.tenant(w.id);
      let seq = await this.connection.reserve(`${t}seq`, w.documents.length);
      const { tx, index } = this.write();
      if (await this.addTenant(index, w.id))
        tx.set(`${t}hook`, JSON.stringify(w.secret !== undefined ? { secret: w.secret } : {}));
      for (const doc of w.documents) tx.hset(`${t}docs`, doc.id, entry(seq++, doc));
      await this.commit(tx, index);
    }
    return undefined;
  }

  async snapshot(): Promise<Seed> {
    const { client } = this.connection;
    return {
      webhooks: await this.eachTenant(async (id, t) => {
        const [hook, docs] = await Promise.all([client.get(`${t}hook`), client.hgetall(`${t}docs`)]);
        return { id, ...(JSON.parse(hook ?? '{}') as { secret?: string }), documents: ordered<Document>(docs) };
      }),
    };
  }

  private async webhook(id: string): Promise<Webhook | undefined> {
    const hook = await this.connection.client.get(`${this.tenant(id)}hook`);
    return hook === null ? undefined : { id, ...(JSON.parse(hook) as { secret?: string }) };
  }

  /** `secret` is the request's raw `Authorization`, if it sent one. */
  async access(webhookId: string, secret: string | undefined): Promise<Access> {
    const webhook = await this.webhook(webhookId);
    if (!webhook) return 'webhook_not_found';
    return webhook.secret === undefined || webhook.secret === secret ? 'allowed' : 'invalid_secret';
  }

  /** One HDEL: atomic by itself. (A webhook, once there, stays until a reset.) */
  async deleteDocument(webhookId: string, documentId: string): Promise<boolean> {
    return (await this.connection.client.hdel(`${this.tenant(webhookId)}docs`, documentId)) === 1;
  }
}
