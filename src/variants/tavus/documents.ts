/** Tavus's seeded documents for the landing page, each with a delete by the first account's key. */

import type { DocumentEntry } from '../../mock/types.js';
import { failsWith } from '../define.js';
import { errors } from './errors.js';
import type { Seed } from './store.js';

export function documents(seed: Seed): DocumentEntry[] {
  const key = seed.accounts[0]?.apiKeys[0];
  if (!key) return [];
  return seed.accounts.flatMap((account, i) =>
    account.documents.map((doc) => ({
      id: doc.id,
      ...(doc.name !== undefined ? { name: doc.name } : {}),
      tenant: account.id,
      ...(i > 0
        ? { state: 'other tenant', expect: failsWith(errors, 'document_not_found') }
        : { state: 'deletable', expect: { status: 204 } }),
      request: { method: 'DELETE', path: `/v2/documents/${encodeURIComponent(doc.id)}`, headers: { 'x-api-key': key } },
    })),
  );
}
