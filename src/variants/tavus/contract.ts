/** What the contract runner needs to exercise Tavus (see src/contract/plans.ts): an account and its key. */
import type { VariantContract } from '../../contract/plans.js';

export const contract: VariantContract = {
  credentials: { apiKey: 'apiKey' },
  scope: {},
  operations: {
    deleteDocument: { call: (_scope, id) => ({ path: { document_id: id } }) },
  },
  fixture: (run, documents) => ({
    tenant: `account acct_contract_${run}`,
    fragment: {
      accounts: [
        {
          id: `acct_contract_${run}`,
          apiKeys: [`tavus-contract-${run}`],
          documents: documents.map((id) => ({ id, associatedData: [] })),
        },
      ],
    },
    credentials: { apiKey: `tavus-contract-${run}` },
    scope: {},
  }),
};
