/**
 * 1Flow's state: webhooks, with or without a secret, each holding documents with their extracted data,
 * search-index entries, reconciliation links and files. A webhook reaches only its own documents.
 */
import type { components } from '../../../generated/mock-admin/types.js';
import type { Awaitable } from '../../mock/awaitable.js';
import type { VariantStore } from '../../mock/types.js';
import { duplicateId, getOrCreate } from '../stores.js';

export type Seed = components['schemas']['OneflowSeed'];
type SeedWebhook = Seed['webhooks'][number];
export type Document = SeedWebhook['documents'][number];

export interface Webhook {
  id: string;
  secret?: string;
  documents: Map<string, Document>;
}

export type Access = 'allowed' | 'webhook_not_found' | 'invalid_secret';

export interface OneflowStore extends VariantStore<Seed> {
  /** Whether a request with this `Authorization` value may use the webhook: one with a secret needs it. */
  access(webhookId: string, secret: string | undefined): Awaitable<Access>;
  /** Removes the webhook's document with everything derived from it; false when it has no such document. */
  deleteDocument(webhookId: string, documentId: string): Awaitable<boolean>;
}

export class MemoryOneflowStore implements OneflowStore {
  private readonly webhooks = new Map<string, Webhook>();

  merge(seed: Seed): string | undefined {
    for (const w of seed.webhooks) {
      const existing = this.webhooks.get(w.id);
      if (existing && w.secret !== undefined && existing.secret !== w.secret)
        return `Webhook ${w.id} has another secret`;
      const duplicate = duplicateId(w.documents, existing?.documents);
      if (duplicate) return `Document ${duplicate} already exists in webhook ${w.id}`;
    }
    for (const w of seed.webhooks) {
      const webhook = getOrCreate(this.webhooks, w.id, () => ({
        id: w.id,
        ...(w.secret !== undefined ? { secret: w.secret } : {}),
        documents: new Map(),
      }));
      for (const doc of w.documents) webhook.documents.set(doc.id, doc);
    }
    return undefined;
  }

  snapshot(): Seed {
    return {
      webhooks: [...this.webhooks.values()].map((w) => ({
        id: w.id,
        ...(w.secret !== undefined ? { secret: w.secret } : {}),
        documents: [...w.documents.values()],
      })),
    };
  }

  access(webhookId: string, secret: string | undefined): Access {
    const webhook = this.webhooks.get(webhookId);
    if (!webhook) return 'webhook_not_found';
    return webhook.secret === undefined || webhook.secret === secret ? 'allowed' : 'invalid_secret';
  }

  deleteDocument(webhookId: string, documentId: string): boolean {
    // Everything derived from the document lives on its record: one delete removes it all.
    return this.webhooks.get(webhookId)?.documents.delete(documentId) ?? false;
  }
}
