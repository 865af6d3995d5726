/**
 * What the runner works with: two tenants' credentials, scope and documents it may delete. Against tombstone's
 * mock (it answers GET /_mock/health as openapi/mock-admin.yaml documents) the runner adds two tenants of its own
 * through the control API, with fresh IDs, so runs repeat without a reset and never touch the demo data. Against
 * any other server they come from the caller; what is missing makes the checks that need it skip.
 */
import { randomUUID } from 'node:crypto';
import { checkResponse } from '../conformance.js';
import { TargetError } from '../errors.js';
import { specs } from '../specs.js';
import { send } from './exchange.js';
import { type Credentials, newDocumentId, type Scope, type VariantContract } from './plans.js';

/** One tenant's inputs: its credentials, the scope it owns and the documents the runner may delete. */
export interface Tenant {
  credentials: Credentials;
  /** Scope given or prepared; anything else is a placeholder that names nothing. */
  scope: Scope;
  /** Documents the runner may delete, in the order the checks take them. */
  documents: string[];
}

export interface Target extends Tenant {
  /** How the inputs came about, for the report. */
  setup: string;
  /** The server keeps no state (a schema-driven mock such as Prism's): checks that need it are skipped. */
  stateless: boolean;
  /** The second tenant, for object_level_authorization. */
  other?: Tenant;
}

export interface Inputs extends Partial<Tenant> {
  stateless?: boolean;
  /** The second tenant's inputs (`--other-api-key` ...). */
  other?: Partial<Tenant>;
}

/**
 * Documents of the first tenant per operation that deletes: use_after_free, idempotency, per_item_results,
 * unknown_parent_resource and negative_data_rejection take one each. The second tenant's: object_level_authorization.
 */
const DOCUMENTS_PER_DELETE = 5;
const OTHER_DOCUMENTS_PER_DELETE = 1;

/** True when `origin` answers GET /_mock/health as tombstone's mock does and serves `variant`. */
export async function servesMock(origin: string, variant: string): Promise<boolean> {
  const health = await send({ method: 'GET', url: `${origin}/_mock/health`, headers: { accept: 'application/json' } });
  if (health.status !== 200 || checkResponse(specs['mock-admin']!, 'getHealth', health).length > 0) return false;
  return (JSON.parse(health.body) as { variants: string[] }).variants.includes(variant);
}

/** Adds two tenants of the contract's fixture to the mock at `origin`, with documents for `deletes` operations. */
export async function prepareMock(
  origin: string,
  variant: string,
  contract: VariantContract,
  deletes: number,
): Promise<Target> {
  const target = await addTenant(origin, variant, contract, DOCUMENTS_PER_DELETE * deletes);
  const other = await addTenant(origin, variant, contract, OTHER_DOCUMENTS_PER_DELETE * deletes);
  return {
    setup:
      `tombstone mock at ${origin}: added ${target.tenant} and ${other.tenant} ` +
      `with ${target.documents.length} and ${other.documents.length} documents through /_mock`,
    credentials: target.credentials,
    scope: target.scope,
    documents: target.documents,
    stateless: false,
    other: { credentials: other.credentials, scope: other.scope, documents: other.documents },
  };
}

async function addTenant(origin: string, variant: string, contract: VariantContract, count: number) {
  const documents = Array.from({ length: count }, newDocumentId);
  // 48 random bits: a tenant of its own per run, however often the runner meets the same mock.
  const fixture = contract.fixture(randomUUID().replaceAll('-', '').slice(0, 12), documents);
  const url = `${origin}/_mock/state/${variant}/documents`;
  const res = await send({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fixture.fragment),
  });
  if (res.status !== 201) {
    throw new TargetError(
      `Failed to prepare state: POST ${url} answered ${res.status} ${res.body}. ` +
        `Try resetting the mock (POST ${origin}/_mock/reset).`,
    );
  }
  return { ...fixture, documents };
}

function given(tenant: Partial<Tenant> | undefined): number {
  return (
    Object.keys(tenant?.credentials ?? {}).length +
    Object.keys(tenant?.scope ?? {}).length +
    (tenant?.documents?.length ?? 0)
  );
}

export function hasInputs(inputs: Inputs): boolean {
  return given(inputs) + given(inputs.other) > 0;
}

/** The target from the caller's inputs alone. */
export function givenTarget(inputs: Inputs): Target {
  const setup = inputs.stateless
    ? 'stateless server: no documents, no state checks'
    : hasInputs(inputs)
      ? 'credentials and IDs as given'
      : 'no credentials or IDs given';
  const tenant = (t: Partial<Tenant> | undefined): Tenant => ({
    credentials: t?.credentials ?? {},
    scope: t?.scope ?? {},
    documents: t?.documents ?? [],
  });
  return {
    setup,
    ...tenant(inputs),
    stateless: inputs.stateless ?? false,
    ...(given(inputs.other) > 0 ? { other: tenant(inputs.other) } : {}),
  };
}
