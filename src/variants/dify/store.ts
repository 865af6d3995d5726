/**
 * Dify's state: accounts with API keys; knowledge bases (datasets) → documents → chunks → child chunks.
 * "A single Knowledge Base API key has permission to operate on all visible knowledge bases under the same
 * account" — and on nothing of another account.
 */
import type { components } from '../../../generated/mock-admin/types.js';

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

export class DifyStore {
  private readonly accounts = new Map<string, Account>();
  private readonly keys = new Map<string, Account>();
  private readonly datasets = new Map<string, Dataset>();

  constructor(seed: Seed) {
    const error = this.merge(seed);
    if (error) throw new Error(error);
  }

  merge(seed: Seed): string | undefined {
    for (const acc of seed.accounts) {
      for (const ds of acc.datasets) {
        const existing = this.datasets.get(ds.id);
        if (existing && existing.account.id !== acc.id) return `Dataset ${ds.id} already belongs to ${existing.account.id}`;
        const ids = new Set<string>();
        for (const doc of ds.documents) {
          if (existing?.documents.has(doc.id) || ids.has(doc.id)) return `Document ${doc.id} already exists in dataset ${ds.id}`;
          ids.add(doc.id);
        }
      }
    }
    for (const acc of seed.accounts) {
      let account = this.accounts.get(acc.id);
      if (!account) {
        account = { id: acc.id, apiKeys: [], datasets: new Map() };
        this.accounts.set(acc.id, account);
      }
      for (const key of acc.apiKeys) {
        if (this.keys.has(key)) continue;
        account.apiKeys.push(key);
        this.keys.set(key, account);
      }
      for (const ds of acc.datasets) {
        let dataset = this.datasets.get(ds.id);
        if (!dataset) {
          dataset = { id: ds.id, ...(ds.name !== undefined ? { name: ds.name } : {}), account, documents: new Map() };
          this.datasets.set(ds.id, dataset);
          account.datasets.set(ds.id, dataset);
        }
        for (const doc of ds.documents) dataset.documents.set(doc.id, doc);
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

  /** The dataset if it belongs to the account; another account's dataset is as missing as an unknown one. */
  dataset(account: Account, id: string): Dataset | undefined {
    const dataset = this.datasets.get(id);
    return dataset?.account === account ? dataset : undefined;
  }

  /** Deletes the document; its chunks and their child chunks go with it. */
  deleteDocument(dataset: Dataset, doc: Document): void {
    dataset.documents.delete(doc.id);
  }
}
