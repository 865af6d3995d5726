/**
 * What the runner needs to know of a variant that its spec cannot say, as each variant's `contract.ts` gives it:
 * which credential each security scheme takes, what besides the document a call names (a Dify knowledge base, a
 * Velt organization, a 1Flow webhook), how to call the operations that delete, how a response tells "deleted now"
 * from "does not exist", and the tenants it adds to tombstone's mock. Everything else (operations, parameters,
 * security, responses) comes from openapi/<variant>.yaml.
 */
import type { ObservedResponse } from '../conformance.js';
import type { CallParts } from './operation.js';

/** Credentials, by the flag that gives them (`--api-key`, `--auth-token`, `--secret`). */
export type CredentialName = 'apiKey' | 'authToken' | 'secret';
/** What a call names besides the document, its parent, by flag (`--dataset`, `--organization`, `--webhook`). */
export type ScopeName = 'dataset' | 'organization' | 'webhook';

export type Credentials = Partial<Record<CredentialName, string>>;
export type Scope = Partial<Record<ScopeName, string>>;
export type InputName = CredentialName | ScopeName | 'documents';

/** The flag and environment variable that give each input, for the CLI and for the reasons a check skips. */
export const INPUTS: Record<InputName, { flag: string; env: string }> = {
  apiKey: { flag: '--api-key', env: 'TOMBSTONE_API_KEY' },
  authToken: { flag: '--auth-token', env: 'TOMBSTONE_AUTH_TOKEN' },
  secret: { flag: '--secret', env: 'TOMBSTONE_WEBHOOK_SECRET' },
  dataset: { flag: '--dataset', env: 'TOMBSTONE_DATASET_ID' },
  organization: { flag: '--organization', env: 'TOMBSTONE_ORGANIZATION_ID' },
  webhook: { flag: '--webhook', env: 'TOMBSTONE_WEBHOOK_ID' },
  documents: { flag: '--document', env: 'TOMBSTONE_DOCUMENT_IDS' },
};

/** The same input for the second tenant: `--other-api-key`, `TOMBSTONE_OTHER_API_KEY`. */
export function otherInput(name: InputName): { flag: string; env: string } {
  const { flag, env } = INPUTS[name];
  return { flag: `--other-${flag.slice(2)}`, env: env.replace(/^TOMBSTONE_/, 'TOMBSTONE_OTHER_') };
}

/** How a delete's response reads for one document: deleted by it, did not exist, or neither. */
export type DeleteOutcome = 'deleted' | 'gone' | 'other';

/** A tenant the runner adds to tombstone's mock, holding the documents it may delete. */
export interface Fixture {
  /** For the report, e.g. `workspace ws_contract_<run>`. */
  tenant: string;
  /** A seed fragment in the variant's seed shape (openapi/mock-admin.yaml, `LeadlexSeed` ...). */
  fragment: unknown;
  credentials: Credentials;
  scope: Scope;
}

/** How the runner calls one operation of the spec, where the spec's own examples are not enough. */
export interface OperationPlan {
  /** The operation deletes documents, so the stateful checks apply. Default: its method is DELETE. */
  deletes?: boolean;
  /** A valid call naming `documentId` in `scope`. */
  call(scope: Scope, documentId: string): CallParts;
  /** A valid call naming several documents at once, when the operation takes several (Velt's bulk delete). */
  bulkCall?(scope: Scope, documentIds: string[]): CallParts;
  /**
   * What the response says of `documentId`; for an operation that reports per document (`bulkCall`), its entry.
   * Default: a 2xx is `deleted`, a 404 is `gone`.
   */
  outcome?(res: ObservedResponse, documentId: string): DeleteOutcome;
  /** The documents a call names, for an operation whose `outcome` reads one entry per document (the proxy's view). */
  documents?(call: CallParts): string[];
}

export interface VariantContract {
  /** The credential each security scheme of the spec takes. */
  credentials: Record<string, CredentialName>;
  /** The parents a call names, each with a maker of a fresh ID in the shape the spec requires (names nothing). */
  scope: Partial<Record<ScopeName, () => string>>;
  /** By operationId; every other operation is called as the spec's examples and schemas say. */
  operations: Record<string, OperationPlan>;
  /** A fresh tenant `run` for tombstone's mock, holding `documents`. */
  fixture(run: string, documents: string[]): Fixture;
}

export function deleteOutcome(
  plan: OperationPlan | undefined,
  res: ObservedResponse,
  documentId: string,
): DeleteOutcome {
  if (plan?.outcome) return plan.outcome(res, documentId);
  if (res.status >= 200 && res.status < 300) return 'deleted';
  return res.status === 404 ? 'gone' : 'other';
}

/** Every new document ID is a UUID: Dify requires one, and the others take any short string. */
export const newDocumentId = (): string => crypto.randomUUID();

export function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
