/**
 * 1Flow's seeded documents for the landing page, each with a delete through its own webhook: with the webhook's
 * secret when it has one, with no `Authorization` at all when it has none.
 */
import type { DocumentEntry } from '../../mock/types.js';
import type { Seed } from './store.js';

export function documents(seed: Seed): DocumentEntry[] {
  return seed.webhooks.flatMap((webhook) =>
    webhook.documents.map(
      (doc): DocumentEntry => ({
        id: doc.id,
        ...(doc.name !== undefined ? { name: doc.name } : {}),
        tenant: `webhook ${webhook.id}`,
        state: webhook.secret === undefined ? 'no secret' : 'deletable',
        request: {
          method: 'POST',
          path: `/api/webhook/${encodeURIComponent(webhook.id)}/document/delete`,
          headers: {
            'Content-Type': 'application/json',
            ...(webhook.secret === undefined ? {} : { Authorization: webhook.secret }),
          },
          body: { docId: doc.id },
        },
        expect: { status: 200 },
      }),
    ),
  );
}
