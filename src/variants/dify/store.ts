/**
 * Dify's state: accounts with API keys; knowledge bases (datasets) → documents → chunks → child chunks.
 * "A single Knowledge Base API key has permission to operate on all visible knowledge bases under the same
 * account" — and on nothing of another account.
 */
import type { components } from '../../../generated/mock-admin/types.js';
import type { Awaitable } from '../../mock/awaitable.js';
import type { VariantStore } from '../../mock/types.js';
import { addKeys, duplicateId, getOrCreate } from '../stores.js';

export type Seed = components['schemas']['DifySeed'];
type SeedAccount = Seed['accounts'][number];
type SeedDataset = SeedAccount['datasets'][number];
export type Document = SeedDataset['documents'][number];

export interface Dataset {
  id: string;
  name?: string;
  account: Account;
  documents: Map<string, Document>;
}

export interface Account {
  id: string;
  apiKeys: string[];
  datasets: Map<string, Dataset>;
}

/** Dify refuses to delete while a document is on its way through the indexing pipeline. */
const INDEXING = new Set<Document['indexingStatus']>(['waiting', 'parsing', 'cleaning', 'splitting', 'indexing']);

export function isIndexing(doc: Document): boolean {
  return INDEXING.has(doc.indexingStatus);
}

/** A delete's outcome: done, or the error code that refuses it, in Dify's order of checks. */
export type DeleteResult =
  | 'deleted'
  | 'dataset_not_found'
  | 'not_found'
  | 'archived_document_immutable'
  | 'document_indexing';

/** An account as handlers see it: each store keeps what else it needs beside the ID. */
export type AccountRef = Pick<Account, 'id'>;

export interface DifyStore extends VariantStore<Seed> {
  authenticate(key: string): Awaitable<AccountRef | undefined>;
  /** Deletes a document of one of the account's knowledge bases, with its chunks and their child chunks. */
  deleteDocument(account: AccountRef, datasetId: string, documentId: string): Awaitable<DeleteResult>;
}

/**
 * UUIDs are case-insensitive (RFC 9562, section 4), and Dify's router normalises them: the stores' maps are keyed
 * by the lower-case ID, so `A1B2…` and `a1b2…` name the same dataset or document. Snapshots keep the IDs as seeded.
 */
export const uuidKey = (uuid: string) => uuid.toLowerCase();
const key = uuidKey;

export class MemoryDifyStore implements DifyStore {
  private readonly accounts = new Map<string, Account>();
  private readonly keys = new Map<string, Account>();
  private readonly datasets = new Map<string, Dataset>();

  merge(seed: Seed): string | undefined {
    for (const acc of seed.accounts) {
      for (const ds of acc.datasets) {
        const existing = this.datasets.get(key(ds.id));
        if (existing && existing.account.id !== acc.id)
          return `Dataset ${ds.id} already belongs to ${existing.account.id}`;
        const duplicate = duplicateId(
          ds.documents.map((doc) => ({ id: key(doc.id) })),
          existing?.documents,
        );
        if (duplicate) return `Document ${duplicate} already exists in dataset ${ds.id}`;
      }
    }
    for (const acc of seed.accounts) {
      const account = getOrCreate(this.accounts, acc.id, () => ({ id: acc.id, apiKeys: [], datasets: new Map() }));
      addKeys(account, acc.apiKeys, this.keys);
      for (const ds of acc.datasets) {
        let dataset = this.datasets.get(key(ds.id));
        if (!dataset) {
          dataset = { id: ds.id, ...(ds.name !== undefined ? { name: ds.name } : {}), account, documents: new Map() };
          this.datasets.set(key(ds.id), dataset);
          account.datasets.set(key(ds.id), dataset);
        }
        for (const doc of ds.documents) dataset.documents.set(key(doc.id), doc);
      }
    }
    return undefined;
  }

  snapshot(): Seed {
    return {
      accounts: [...this.accounts.values()].map((account) => ({
        id: account.id,
        apiKeys: account.apiKeys,
        datasets: [...account.datasets.values()].map((ds) => ({
          id: ds.id,
          ...(ds.name !== undefined ? { name: ds.name } : {}),
          documents: [...ds.documents.values()],
        })),
      })),
    };
  }

  authenticate(key: string): Account | undefined {
    return this.keys.get(key);
  }

  /** Another account's knowledge base is as missing as an unknown one; then the document, archived, indexing. */
  deleteDocument(account: AccountRef, datasetId: string, documentId: string): DeleteResult {
    const dataset = this.datasets.get(key(datasetId));
    if (dataset?.account !== account) return 'dataset_not_found';
    const doc = dataset.documents.get(key(documentId));
    if (!doc) return 'not_found';
    if (doc.archived) return 'archived_document_immutable';
    if (isIndexing(doc)) return 'document_indexing';
    dataset.documents.delete(key(documentId));
    return 'deleted';
  }
}
