/**
 * The contract runner: drives a live server through a variant's operation and checks every answer against
 * openapi/<variant>.yaml. Behavioural checks (checks.ts) send their own requests; the response checks of
 * conformance.ts then judge every response any of them got.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { checkResponse, responseKey, RESPONSE_CHECKS, type CheckName } from '../conformance.js';
import { mockBasePath } from '../openapi/model.js';
import { TombstoneError } from '../errors.js';
import { specs } from '../specs.js';
import { behaviourChecks, rule, RUN_ORDER, type BehaviourCheck, type ContractCheck, type Failure, type Outcome, type RunContext } from './checks.js';
import { send, type Exchange } from './exchange.js';
import { buildRequest, describe, locateOperation, type HttpRequest, type Operation } from './operation.js';
import { newDocumentId, plans, type Scope, type VariantPlan } from './plans.js';
import { givenTarget, hasInputs, prepareMock, servesMock, type Inputs, type Target } from './prepare.js';

export type { ContractCheck } from './checks.js';
export { RESPONSE_CHECKS } from '../conformance.js';

export const CHECKS: ContractCheck[] = [...RESPONSE_CHECKS, ...(Object.keys(behaviourChecks) as BehaviourCheck[])];

export interface ContractOptions extends Inputs {
  variant: string;
  /** Where the variant is served: its origin plus any mount, e.g. http://localhost:4010/leadlex. */
  baseUrl: string;
  /** Between the base URL and the spec's paths; default: the spec's server path (`/functions/v1/api-gateway`, `/v1`, or none). */
  basePath?: string;
  /**
   * Where tombstone's control API answers, when not at the base URL's origin (e.g. behind a proxy). Without it,
   * and without credentials or IDs given, the base URL's origin is asked whether it is tombstone's mock.
   */
  controlUrl?: string;
  /** Undocumented response headers to accept (lower-cased), e.g. what a gateway adds. */
  allowHeaders?: string[];
  /** Checks not to run, each with the reason the report gives; their requests are not sent. */
  exclude?: Partial<Record<ContractCheck, string>>;
}

export interface CheckResult {
  check: ContractCheck;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped, or a remark on what it left out. */
  reason?: string;
  requests: number;
  failures: Failure[];
}

export interface ContractReport {
  variant: string;
  baseUrl: string;
  /** `DELETE /v1/documents/{id} (deleteDocument)` */
  operation: string;
  setup: string;
  results: CheckResult[];
  exchanges: Exchange[];
  durationMs: number;
  ok: boolean;
}

export async function runContract(options: ContractOptions): Promise<ContractReport> {
  const started = performance.now();
  const plan = plans[options.variant];
  const spec = specs[options.variant];
  if (!plan || !spec) throw new Error(`no contract plan for variant '${options.variant}'`);
  const op = locateOperation(spec, `openapi/${options.variant}.yaml`, plan.operationId);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const target = await prepare(options, plan, baseUrl);

  const exchanges: Exchange[] = [];
  const documents = [...target.documents];
  const scope: Scope = { ...placeholders(plan), ...target.scope };
  const auth = authenticate(plan, op, target);
  const ctx: RunContext = {
    op,
    plan,
    target,
    base: `${baseUrl}${(options.basePath ?? mockBasePath(spec.definition)).replace(/\/+$/, '')}`,
    scope,
    auth: auth?.credentials,
    requirement: auth?.requirement ?? op.requirements[0] ?? [],
    async exchange(title: string, request: HttpRequest) {
      const exchange = { title, request, response: await send(request) };
      exchanges.push(exchange);
      return exchange;
    },
    takeDocument: () => documents.shift(),
  };

  const behaviour: CheckResult[] = [];
  // A delete of a document that does not exist: any documented answer, for the response checks.
  if (ctx.auth) await ctx.exchange('probe: delete a document that does not exist', buildRequest(op, ctx.base, plan.deleteCall(scope, newDocumentId()), ctx.auth));
  for (const check of RUN_ORDER) {
    const excluded = options.exclude?.[check];
    behaviour.push(toResult(check, excluded !== undefined ? { skipped: excluded } : await behaviourChecks[check](ctx)));
  }
  const failures = responseFailures(ctx, exchanges, new Set((options.allowHeaders ?? []).map((h) => h.toLowerCase())));
  const responseResults = RESPONSE_CHECKS.map((check): CheckResult => {
    const excluded = options.exclude?.[check];
    if (excluded !== undefined) return toResult(check, { skipped: excluded });
    if (exchanges.length === 0) return toResult(check, { skipped: 'no response to check: every check that sends requests was skipped' });
    return toResult(check, { requests: exchanges.length, failures: failures.get(check) ?? [] });
  });
  const results = [...responseResults, ...behaviour].sort((a, b) => CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check));
  return {
    variant: options.variant,
    baseUrl,
    operation: describe(op),
    setup: target.setup,
    results,
    exchanges,
    durationMs: performance.now() - started,
    ok: results.every((r) => r.status !== 'failed'),
  };
}

/** Inputs given are used as they are; without any, tombstone's mock (if that is what answers) is prepared. */
async function prepare(options: ContractOptions, plan: VariantPlan, baseUrl: string): Promise<Target> {
  if (options.stateless || hasInputs(options)) return givenTarget(options);
  const origin = (options.controlUrl ?? new URL(baseUrl).origin).replace(/\/+$/, '');
  if (await servesMock(origin, options.variant)) return prepareMock(origin, options.variant, plan);
  if (options.controlUrl) {
    throw new TombstoneError(`Failed to prepare state: ${origin}/_mock/health does not answer as tombstone's mock serving ${options.variant} does. Try the origin \`tombstone serve\` prints.`);
  }
  return givenTarget(options);
}

function placeholders(plan: VariantPlan): Scope {
  return Object.fromEntries(Object.entries(plan.scope).map(([name, make]) => [name, make()]));
}

/** Credentials by scheme for the first requirement the target has all credentials for; none needed when optional. */
function authenticate(plan: VariantPlan, op: Operation, target: Target): { requirement: string[]; credentials: Record<string, string> } | undefined {
  for (const requirement of op.requirements) {
    const values = requirement.map((scheme) => target.credentials[plan.credentials[scheme]!]);
    if (values.every((v) => v !== undefined)) return { requirement, credentials: Object.fromEntries(requirement.map((s, i) => [s, values[i]!])) };
  }
  return op.anonymous || op.requirements.length === 0 ? { requirement: [], credentials: {} } : undefined;
}

function toResult(check: ContractCheck, outcome: Outcome): CheckResult {
  if ('skipped' in outcome) return { check, status: 'skipped', reason: outcome.skipped, requests: 0, failures: [] };
  return { check, status: outcome.failures.length > 0 ? 'failed' : 'passed', requests: outcome.requests, failures: outcome.failures, ...(outcome.note ? { reason: outcome.note } : {}) };
}

/** The response checks' violations over every exchange (each judged once), by check, each with the Response Object it breaks. */
function responseFailures(ctx: RunContext, exchanges: Exchange[], allowed: Set<string>): Map<CheckName, Failure[]> {
  const failures = new Map<CheckName, Failure[]>();
  const documented = Object.keys(ctx.op.object.responses as OpenAPIV3.ResponsesObject).join(', ');
  for (const exchange of exchanges) {
    const headers = Object.fromEntries(Object.entries(exchange.response.headers).filter(([name]) => !allowed.has(name)));
    const key = responseKey(ctx.op.object, exchange.response.status);
    for (const { check, message } of checkResponse(ctx.op.spec, ctx.op.id, { ...exchange.response, headers })) {
      const where = check === 'not_a_server_error' ? 'no 5xx (Schemathesis not_a_server_error)' : key ? `responses.${key}` : `responses (documented: ${documented})`;
      let list = failures.get(check);
      if (!list) failures.set(check, (list = []));
      list.push({ message, rule: rule(ctx, where), exchange });
    }
  }
  return failures;
}
