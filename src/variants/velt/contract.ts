/**
 * What the contract runner needs to exercise Velt (see src/contract/plans.ts): an app's key and auth token, an
 * organization, and how the bulk delete reports each document.
 */
import { parseJson, type VariantContract } from '../../contract/plans.js';

type Result = { result?: { data?: Record<string, { message?: string }> } };

const bulkCall = (organizationId: string, documentIds: string[]) => ({
  path: {},
  body: { data: { organizationId, documentIds } },
});

export const contract: VariantContract = {
  credentials: { veltApiKey: 'apiKey', veltAuthToken: 'authToken' },
  scope: { organization: () => `tombstone-organization-${crypto.randomUUID()}` },
  operations: {
    deleteDocuments: {
      deletes: true,
      call: (scope, id) => bulkCall(scope.organization!, [id]),
      bulkCall: (scope, ids) => bulkCall(scope.organization!, ids),
      /**
       * The bulk delete answers 200 either way; the document's entry says which ("Deleted Successfully" or
       * "Document does not exist"). https://docs.velt.dev/api-reference/rest-apis/v2/documents/delete-documents
       */
      outcome: (res, id) => {
        if (res.status !== 200) return 'other';
        const message = parseJson<Result>(res.body)?.result?.data?.[id]?.message;
        return message === 'Deleted Successfully'
          ? 'deleted'
          : message === 'Document does not exist'
            ? 'gone'
            : 'other';
      },
      documents: (call) => {
        const ids = (call.body as { data?: { documentIds?: unknown } } | undefined)?.data?.documentIds;
        return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
      },
    },
  },
  fixture: (run, documents) => ({
    tenant: `app app_contract_${run}, organization org-contract-${run}`,
    fragment: {
      apps: [
        {
          id: `app_contract_${run}`,
          apiKey: `velt-contract-key-${run}`,
          authTokens: [{ token: `velt-contract-token-${run}` }],
          organizations: [{ id: `org-contract-${run}`, documents: documents.map((id) => ({ id })) }],
        },
      ],
    },
    credentials: { apiKey: `velt-contract-key-${run}`, authToken: `velt-contract-token-${run}` },
    scope: { organization: `org-contract-${run}` },
  }),
};
