/**
 * 1Flow's state on Redis, with the in-memory store's semantics (src/variants/oneflow/store.ts). Tenant = webhook.
 *   P{oneflow}:tenants          zset    webhook IDs in seed order
 *   P{oneflow:<webhook>}:hook   string  {secret?}
 *   …:docs                      hash    document ID → [seq, document] (extracted data, index entries, files inside)
 */
import type { Document, Seed } from '../../variants/oneflow/store.js';
import { entry, ordered, type RedisConnection, type Script } from './connection.js';
import { RedisVariantStore } from './variant.js';

export type DeleteOutcome = 'deleted' | 'webhook_not_found' | 'invalid_secret' | 'document_not_found';

/**
 * KEYS hook, docs; ARGV secret given (1/0), secret, docId. The webhook, its secret (when it has one) and the
 * delete in one step, in the order the variant checks them.
 */
const DELETE = `
local hook = redis.call('GET', KEYS[1])
if not hook then return 'webhook_not_found' end
local secret = cjson.decode(hook).secret
if secret and (ARGV[1] ~= '1' or ARGV[2] ~= secret) then return 'invalid_secret' end
if redis.call('HDEL', KEYS[2], ARGV[3]) == 0 then return 'document_not_found' end
return 'deleted'`;

export interface Webhook {
  id: string;
  secret?: string;
}

export class OneflowRedisStore extends RedisVariantStore<Seed> {
  private readonly delete: Script;

  constructor(connection: RedisConnection) {
    super(connection, 'oneflow');
    this.delete = connection.script(2, DELETE);
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
      const tx = this.connection.client.multi();
      if (await this.addTenant(tx, w.id))
        tx.set(`${t}hook`, JSON.stringify(w.secret !== undefined ? { secret: w.secret } : {}));
      for (const doc of w.documents) tx.hset(`${t}docs`, doc.id, entry(seq++, doc));
      await tx.exec();
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

  async webhook(id: string): Promise<Webhook | undefined> {
    const hook = await this.connection.client.get(`${this.tenant(id)}hook`);
    return hook === null ? undefined : { id, ...(JSON.parse(hook) as { secret?: string }) };
  }

  /** `secret` is the request's raw `Authorization`, if it sent one. */
  async deleteDocument(webhookId: string, secret: string | undefined, docId: string): Promise<DeleteOutcome> {
    const t = this.tenant(webhookId);
    const given = secret === undefined ? [0, ''] : [1, secret];
    return (await this.delete([`${t}hook`, `${t}docs`], [...given, docId])) as DeleteOutcome;
  }
}
