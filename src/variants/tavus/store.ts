/** Tavus's state: accounts with API keys, documents with their associated data (files, chunks, embeddings). */
import type { components } from '../../../generated/mock-admin/types.js';
import type { Awaitable } from '../../mock/awaitable.js';
import type { VariantStore } from '../../mock/types.js';
import { addKeys, duplicateId, getOrCreate } from '../stores.js';

export type Seed = components['schemas']['TavusSeed'];
type SeedAccount = Seed['accounts'][number];
export type Document = SeedAccount['documents'][number];

export interface Account {
  id: string;
  apiKeys: string[];
  documents: Map<string, Document>;
}

/** An account as handlers see it: each store keeps what else it needs beside the ID. */
export type AccountRef = Pick<Account, 'id'>;

export interface TavusStore extends VariantStore<Seed> {
  authenticate(key: string): Awaitable<AccountRef | undefined>;
  /** Deletes the account's document with its associated data; false when the account has no such document. */
  deleteDocument(account: AccountRef, documentId: string): Awaitable<boolean>;
}

export class MemoryTavusStore implements TavusStore {
  private readonly accounts = new Map<string, Account>();
  private readonly keys = new Map<string, Account>();

  merge(seed: Seed): string | undefined {
    for (const acc of seed.accounts) {
      const duplicate = duplicateId(acc.documents, this.accounts.get(acc.id)?.documents);
      if (duplicate) return `Document ${duplicate} already exists in ${acc.id}`;
    }
    for (const acc of seed.accounts) {
      const account = getOrCreate(this.accounts, acc.id, () => ({ id: acc.id, apiKeys: [], documents: new Map() }));
      addKeys(account, acc.apiKeys, this.keys);
      for (const doc of acc.documents) account.documents.set(doc.id, doc);
    }
    return undefined;
  }

  snapshot(): Seed {
    return {
      accounts: [...this.accounts.values()].map((a) => ({
        id: a.id,
        apiKeys: a.apiKeys,
        documents: [...a.documents.values()],
      })),
    };
  }

  authenticate(key: string): Account | undefined {
    return this.keys.get(key);
  }

  deleteDocument(account: AccountRef, documentId: string): boolean {
    // The document and its associated data are one record: removing it removes both.
    return (account as Account).documents.delete(documentId);
  }
}
