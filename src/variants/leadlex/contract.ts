/** What the contract runner needs to exercise LeadLex (see src/contract/plans.ts): a workspace and its key. */
import type { VariantContract } from '../../contract/plans.js';

export const contract: VariantContract = {
  credentials: { bearerKey: 'apiKey' },
  scope: {},
  operations: {
    deleteDocument: { call: (_scope, id) => ({ path: { id } }) },
  },
  fixture: (run, documents) => ({
    tenant: `workspace ws_contract_${run}`,
    fragment: {
      workspaces: [
        {
          id: `ws_contract_${run}`,
          keys: [{ key: `wbk_contract_${run}`, permissions: ['read:documents', 'write:documents', 'admin:documents'] }],
          documents: documents.map((id) => ({ id, name: 'tombstone contract run' })),
        },
      ],
    },
    credentials: { apiKey: `wbk_contract_${run}` },
    scope: {},
  }),
};
