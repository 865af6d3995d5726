/** What the contract runner needs to exercise Dify (see src/contract/plans.ts): an account, its key, a dataset. */
import type { VariantContract } from '../../contract/plans.js';

export const contract: VariantContract = {
  credentials: { ApiKeyAuth: 'apiKey' },
  scope: { dataset: () => crypto.randomUUID() },
  operations: {
    deleteDocument: { call: (scope, id) => ({ path: { dataset_id: scope.dataset!, document_id: id } }) },
  },
  fixture: (run, documents) => {
    const dataset = crypto.randomUUID();
    return {
      tenant: `account acct_contract_${run}, knowledge base ${dataset}`,
      fragment: {
        accounts: [
          {
            id: `acct_contract_${run}`,
            apiKeys: [`dataset-contract-${run}`],
            datasets: [
              {
                id: dataset,
                name: 'tombstone contract run',
                documents: documents.map((id) => ({ id, indexingStatus: 'completed' })),
              },
            ],
          },
        ],
      },
      credentials: { apiKey: `dataset-contract-${run}` },
      scope: { dataset },
    };
  },
};
