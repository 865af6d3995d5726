/**
 * What the runner works with: credentials, scope and documents it may delete. Against tombstone's mock (it
 * answers GET /_mock/health as openapi/mock-admin.yaml documents) the runner adds a tenant of its own through the
 * control API, with fresh IDs, so runs repeat without a reset and never touch the demo data. Against any other
 * server they come from the caller; what is missing makes the checks that need it skip.
 */
import { randomUUID } from 'node:crypto';
import { checkResponse } from '../conformance.js';
import { TombstoneError } from '../errors.js';
import { specs } from '../specs.js';
import { send } from './exchange.js';
import { newDocumentId, type Credentials, type Scope, type VariantPlan } from './plans.js';

export interface Target {
  /** How the inputs came about, for the report. */
  setup: string;
  credentials: Credentials;
  /** Scope given or prepared; anything else is a placeholder that names nothing. */
  scope: Scope;
  /** Documents the runner may delete, in the order the checks take them. */
  documents: string[];
  /** The server keeps no state (a schema-driven mock such as Prism's): checks that need it are skipped. */
  stateless: boolean;
}

export interface Inputs {
  credentials?: Credentials;
  scope?: Scope;
  documents?: string[];
  stateless?: boolean;
}

/** Documents the runner may delete: use_after_free, idempotency and negative_data_rejection take one each. */
const DOCUMENTS_PER_RUN = 3;

/** True when `origin` answers GET /_mock/health as tombstone's mock does and serves `variant`. */
export async function servesMock(origin: string, variant: string): Promise<boolean> {
  const health = await send({ method: 'GET', url: `${origin}/_mock/health`, headers: { accept: 'application/json' } });
  if (health.status !== 200 || checkResponse(specs['mock-admin']!, 'getHealth', health).length > 0) return false;
  return (JSON.parse(health.body) as { variants: string[] }).variants.includes(variant);
}

/** Adds the plan's fixture to the mock at `origin` and returns it as the target. */
export async function prepareMock(origin: string, variant: string, plan: VariantPlan): Promise<Target> {
  const documents = Array.from({ length: DOCUMENTS_PER_RUN }, newDocumentId);
  // 48 random bits: a tenant of its own per run, however often the runner meets the same mock.
  const fixture = plan.fixture(randomUUID().replaceAll('-', '').slice(0, 12), documents);
  const url = `${origin}/_mock/state/${variant}/documents`;
  const res = await send({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixture.fragment) });
  if (res.status !== 201) {
    throw new TombstoneError(`Failed to prepare state: POST ${url} answered ${res.status} ${res.body}. Try resetting the mock (POST ${origin}/_mock/reset).`);
  }
  return {
    setup: `tombstone mock at ${origin}: added ${fixture.tenant} with ${documents.length} documents through /_mock`,
    credentials: fixture.credentials,
    scope: fixture.scope,
    documents,
    stateless: false,
  };
}

export function hasInputs(inputs: Inputs): boolean {
  return Object.keys(inputs.credentials ?? {}).length + Object.keys(inputs.scope ?? {}).length + (inputs.documents?.length ?? 0) > 0;
}

/** The target from the caller's inputs alone. */
export function givenTarget(inputs: Inputs): Target {
  return {
    setup: inputs.stateless ? 'stateless server: no documents, no state checks' : hasInputs(inputs) ? 'credentials and IDs as given' : 'no credentials or IDs given',
    credentials: inputs.credentials ?? {},
    scope: inputs.scope ?? {},
    documents: inputs.documents ?? [],
    stateless: inputs.stateless ?? false,
  };
}
