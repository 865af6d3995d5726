/**
 * Dify's seeded documents for the landing page, each with a delete by the first account's key, answered in
 * Dify's order: another account's knowledge base is not found (404), then archived (403), then indexing (400).
 */

import type { DocumentEntry } from '../../mock/types.js';
import { failsWith } from '../define.js';
import { errors } from './errors.js';
import { type Document, isIndexing, type Seed } from './store.js';

export function documents(seed: Seed): DocumentEntry[] {
  const key = seed.accounts[0]?.apiKeys[0];
  if (!key) return [];
  return seed.accounts.flatMap((account, i) =>
    account.datasets.flatMap((ds) =>
      ds.documents.map((doc) => ({
        id: doc.id,
        ...(doc.name !== undefined ? { name: doc.name } : {}),
        tenant: `${account.id} / ${ds.name ?? ds.id}`,
        ...outcome(doc, i > 0),
        request: {
          method: 'DELETE',
          path: `/datasets/${encodeURIComponent(ds.id)}/documents/${encodeURIComponent(doc.id)}`,
          headers: { Authorization: `Bearer ${key}` },
        },
      })),
    ),
  );
}

function outcome(doc: Document, otherTenant: boolean): Pick<DocumentEntry, 'state' | 'expect'> {
  if (otherTenant) return { state: 'other tenant', expect: failsWith(errors, 'dataset_not_found') };
  if (doc.archived) return { state: 'archived', expect: failsWith(errors, 'archived_document_immutable') };
  if (isIndexing(doc)) {
    return {
      state: doc.indexingStatus === 'indexing' ? 'indexing' : `indexing (${doc.indexingStatus})`,
      expect: failsWith(errors, 'document_indexing'),
    };
  }
  return { state: `deletable (${doc.indexingStatus})`, expect: { status: 204 } };
}
