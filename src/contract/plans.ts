/**
 * What the runner knows per variant that its spec cannot say: which credential each security scheme takes, what
 * besides the document a delete names (a Dify knowledge base, a Velt organization, a 1Flow webhook), how a
 * response tells "deleted now" from "does not exist", and the fresh tenant it adds to tombstone's mock.
 * Everything else (parameters, security, responses) comes from openapi/<variant>.yaml.
 */
import { randomUUID } from 'node:crypto';
import type { ObservedResponse } from '../conformance.js';
import type { CallParts } from './operation.js';

/** Credentials, by the flag that gives them (`--api-key`, `--auth-token`, `--secret`). */
export type CredentialName = 'apiKey' | 'authToken' | 'secret';
/** What a delete names besides the document, by flag (`--dataset`, `--organization`, `--webhook`). */
export type ScopeName = 'dataset' | 'organization' | 'webhook';

export type Credentials = Partial<Record<CredentialName, string>>;

/** The flag and environment variable that give each input, for the CLI and for the reasons a check skips. */
export const INPUTS: Record<CredentialName | ScopeName | 'documents', { flag: string; env: string }> = {
  apiKey: { flag: '--api-key', env: 'TOMBSTONE_API_KEY' },
  authToken: { flag: '--auth-token', env: 'TOMBSTONE_AUTH_TOKEN' },
  secret: { flag: '--secret', env: 'TOMBSTONE_WEBHOOK_SECRET' },
  dataset: { flag: '--dataset', env: 'TOMBSTONE_DATASET_ID' },
  organization: { flag: '--organization', env: 'TOMBSTONE_ORGANIZATION_ID' },
  webhook: { flag: '--webhook', env: 'TOMBSTONE_WEBHOOK_ID' },
  documents: { flag: '--document', env: 'TOMBSTONE_DOCUMENT_IDS' },
};
export type Scope = Partial<Record<ScopeName, string>>;

/** How a delete's response reads: the document was deleted by it, did not exist, or neither. */
export type DeleteOutcome = 'deleted' | 'gone' | 'other';

/** The state the runner adds to tombstone's mock: a tenant of its own, holding the documents it may delete. */
export interface Fixture {
  /** For the report, e.g. `workspace ws_contract_<run>`. */
  tenant: string;
  /** A seed fragment in the variant's seed shape (openapi/mock-admin.yaml, `LeadlexSeed` ...). */
  fragment: unknown;
  credentials: Credentials;
  scope: Scope;
}

export interface VariantPlan {
  operationId: string;
  /** The credential each security scheme of the spec takes. */
  credentials: Record<string, CredentialName>;
  /** The scope a delete names, each with a placeholder for checks that need no real one. */
  scope: Partial<Record<ScopeName, () => string>>;
  /** A valid call that deletes `documentId` in `scope`. */
  deleteCall(scope: Scope, documentId: string): CallParts;
  /** Default: a 2xx is `deleted`, a 404 is `gone`. */
  outcome?(res: ObservedResponse, documentId: string): DeleteOutcome;
  /** A fresh tenant `run` for tombstone's mock, holding `documents`. */
  fixture(run: string, documents: string[]): Fixture;
}

export function deleteOutcome(plan: VariantPlan, res: ObservedResponse, documentId: string): DeleteOutcome {
  if (plan.outcome) return plan.outcome(res, documentId);
  if (res.status >= 200 && res.status < 300) return 'deleted';
  return res.status === 404 ? 'gone' : 'other';
}

/** Every new document ID is a UUID: Dify requires one, and the others take any short string. */
export const newDocumentId = (): string => randomUUID();

export const plans: Record<string, VariantPlan> = {
  leadlex: {
    operationId: 'deleteDocument',
    credentials: { bearerKey: 'apiKey' },
    scope: {},
    deleteCall: (_scope, id) => ({ path: { id } }),
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
  },
  dify: {
    operationId: 'deleteDocument',
    credentials: { ApiKeyAuth: 'apiKey' },
    scope: { dataset: randomUUID },
    deleteCall: (scope, id) => ({ path: { dataset_id: scope.dataset!, document_id: id } }),
    fixture: (run, documents) => {
      const dataset = randomUUID();
      return {
        tenant: `account acct_contract_${run}, knowledge base ${dataset}`,
        fragment: {
          accounts: [
            {
              id: `acct_contract_${run}`,
              apiKeys: [`dataset-contract-${run}`],
              datasets: [{ id: dataset, name: 'tombstone contract run', documents: documents.map((id) => ({ id, indexingStatus: 'completed' })) }],
            },
          ],
        },
        credentials: { apiKey: `dataset-contract-${run}` },
        scope: { dataset },
      };
    },
  },
  tavus: {
    operationId: 'deleteDocument',
    credentials: { apiKey: 'apiKey' },
    scope: {},
    deleteCall: (_scope, id) => ({ path: { document_id: id } }),
    fixture: (run, documents) => ({
      tenant: `account acct_contract_${run}`,
      fragment: { accounts: [{ id: `acct_contract_${run}`, apiKeys: [`tavus-contract-${run}`], documents: documents.map((id) => ({ id, associatedData: [] })) }] },
      credentials: { apiKey: `tavus-contract-${run}` },
      scope: {},
    }),
  },
  velt: {
    operationId: 'deleteDocuments',
    credentials: { veltApiKey: 'apiKey', veltAuthToken: 'authToken' },
    scope: { organization: () => 'tombstone-contract-organization' },
    deleteCall: (scope, id) => ({ path: {}, body: { data: { organizationId: scope.organization!, documentIds: [id] } } }),
    /**
     * The bulk delete answers 200 either way; the document's entry says which ("Deleted Successfully" or
     * "Document does not exist"). https://docs.velt.dev/api-reference/rest-apis/v2/documents/delete-documents
     */
    outcome: (res, id) => {
      if (res.status !== 200) return 'other';
      const message = parseJson<{ result?: { data?: Record<string, { message?: string }> } }>(res.body)?.result?.data?.[id]?.message;
      return message === 'Deleted Successfully' ? 'deleted' : message === 'Document does not exist' ? 'gone' : 'other';
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
  },
  oneflow: {
    operationId: 'deleteDocument',
    credentials: { webhookSecret: 'secret' },
    scope: { webhook: () => 'tombstone-contract-webhook' },
    deleteCall: (scope, id) => ({ path: { webhookId: scope.webhook! }, body: { docId: id } }),
    // A webhook with a secret, so that ignored_auth has something to enforce.
    fixture: (run, documents) => ({
      tenant: `webhook contract-${run} (with a secret)`,
      fragment: { webhooks: [{ id: `contract-${run}`, secret: `contract-secret-${run}`, documents: documents.map((id) => ({ id })) }] },
      credentials: { secret: `contract-secret-${run}` },
      scope: { webhook: `contract-${run}` },
    }),
  },
};

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
