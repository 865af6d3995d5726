/**
 * LeadLex's seeded documents for the landing page, each with a delete by the first workspace's first key: a
 * referenced document is `in use` (409), another workspace's is as missing as an unknown one (404).
 */

import type { DocumentEntry } from '../../mock/types.js';
import { failsWith } from '../define.js';
import { errors } from './errors.js';
import type { Document, Seed } from './store.js';

export function documents(seed: Seed): DocumentEntry[] {
  const key = seed.workspaces[0]?.keys[0]?.key;
  if (!key) return [];
  return seed.workspaces.flatMap((ws, i) =>
    ws.documents.map((doc) => ({
      id: doc.id,
      ...(doc.name !== undefined ? { name: doc.name } : {}),
      tenant: ws.id,
      ...outcome(doc, i > 0),
      request: {
        method: 'DELETE',
        path: `/v1/documents/${encodeURIComponent(doc.id)}`,
        headers: { Authorization: `Bearer ${key}` },
      },
    })),
  );
}

function outcome(doc: Document, otherTenant: boolean): Pick<DocumentEntry, 'state' | 'expect'> {
  if (otherTenant) return { state: 'other tenant', expect: failsWith(errors, 'not_found') };
  const refs = doc.referencedBy ?? [];
  if (refs.length > 0)
    return {
      state: `in use (${refs.map((r) => `${r.kind} ${r.id}`).join(', ')})`,
      expect: failsWith(errors, 'in_use'),
    };
  return { state: 'deletable', expect: { status: 204 } };
}
