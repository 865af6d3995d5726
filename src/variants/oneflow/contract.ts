/**
 * What the contract runner needs to exercise 1Flow (see src/contract/plans.ts): a webhook with a secret (so that
 * ignored_auth has something to enforce); the webhook POST is the delete.
 */
import type { VariantContract } from '../../contract/plans.js';

export const contract: VariantContract = {
  credentials: { webhookSecret: 'secret' },
  scope: { webhook: () => `tombstone-webhook-${crypto.randomUUID().slice(0, 8)}` },
  operations: {
    deleteDocument: {
      deletes: true,
      call: (scope, id) => ({ path: { webhookId: scope.webhook! }, body: { docId: id } }),
    },
  },
  fixture: (run, documents) => ({
    tenant: `webhook contract-${run} (with a secret)`,
    fragment: {
      webhooks: [
        { id: `contract-${run}`, secret: `contract-secret-${run}`, documents: documents.map((id) => ({ id })) },
      ],
    },
    credentials: { secret: `contract-secret-${run}` },
    scope: { webhook: `contract-${run}` },
  }),
};
