/**
 * The contract runner: drives a live server through every operation of a variant's spec and checks every answer
 * against openapi/<variant>.yaml. Behavioural checks (checks.ts) send their own requests; the response checks of
 * conformance.ts then judge every response an operation got. Every operation gets the generic checks; the
 * stateful ones apply to the operations that delete (the DELETE method, or what the variant's contract.ts marks).
 * It depends on the specs, generated/ and the variants' contract.ts only, never on the mock.
 */
import { type CheckName, checkResponse, RESPONSE_CHECKS, responseKey, type Spec } from '../conformance.js';
import { TombstoneError, UsageError } from '../errors.js';
import { mockBasePath } from '../openapi/model.js';
import { contracts, specs } from '../specs.js';
import type { ContractCheck, Failure, Outcome, RunContext } from './checks.js';
import { BEHAVIOUR_CHECKS, behaviourChecks, credentialsFor, RUN_ORDER, rule } from './checks.js';
import { type Exchange, send } from './exchange.js';
import { headerMatcher, isInfrastructureHeader } from './headers.js';
import { buildRequest, describe, exampleCall, type HttpRequest, type Operation, specOperations } from './operation.js';
import { newDocumentId, type Scope, type VariantContract } from './plans.js';
import { givenTarget, hasInputs, type Inputs, prepareMock, servesMock, type Target } from './prepare.js';

export { RESPONSE_CHECKS } from '../conformance.js';
export type { ContractCheck } from './checks.js';

/** Every check, in the order reports list them. */
export const CHECKS: ContractCheck[] = [...RESPONSE_CHECKS, ...BEHAVIOUR_CHECKS];

export interface ContractOptions extends Inputs {
  variant: string;
  /** Where the variant is served: its origin plus any mount, e.g. http://localhost:4010/leadlex. */
  baseUrl: string;
  /** Between the base URL and the spec's paths; default: the spec's server path (`/functions/v1/api-gateway`). */
  basePath?: string;
  /**
   * Where tombstone's control API answers, when not at the base URL's origin (e.g. behind a proxy). Without it,
   * and without credentials or IDs given, the base URL's origin is asked whether it is tombstone's mock.
   */
  controlUrl?: string;
  /** Undocumented response headers to accept, as patterns (`x-amz-*`). */
  allowHeaders?: string[];
  /** Tolerate no undocumented header but the protocol's own (no infrastructure headers). */
  strictHeaders?: boolean;
  /** Run only these checks (default: all). */
  checks?: ContractCheck[];
  /** Do not run these checks; their requests are not sent and they are not reported. */
  excludeChecks?: ContractCheck[];
  /** A skipped check fails the run (one the spec gives nothing to test for an operation does not). */
  failOnSkip?: boolean;
  /** Another spec to check the variant's server against (default: openapi/<variant>.yaml), e.g. a test fixture. */
  spec?: { spec: Spec; file: string };
}

export interface CheckResult {
  /** `DELETE /v1/documents/{id} (deleteDocument)` */
  operation: string;
  operationId: string;
  check: ContractCheck;
  status: 'passed' | 'failed' | 'skipped';
  /** A skipped check: the spec gives it nothing to test for this operation (never fails a run). */
  notApplicable?: boolean;
  /** Why it was skipped, or a remark on what it left out. */
  reason?: string;
  requests: number;
  failures: Failure[];
}

export interface ContractReport {
  variant: string;
  baseUrl: string;
  /** Every operation checked, as results name them. */
  operations: string[];
  setup: string;
  /** What the runner corrected or could not do, one line each. */
  warnings: string[];
  /** Undocumented headers tolerated as standard or infrastructure headers (not in --strict-headers). */
  toleratedHeaders: string[];
  failOnSkip: boolean;
  results: CheckResult[];
  exchanges: Exchange[];
  durationMs: number;
  ok: boolean;
}

/** A check name, or a usage error naming the allowed ones. */
export function checkNames(names: string[], flag: string): ContractCheck[] {
  const unknown = names.filter((n) => !(CHECKS as string[]).includes(n));
  if (unknown.length > 0)
    throw new UsageError(`${flag} got unknown check '${unknown.join("', '")}'; the checks are ${CHECKS.join(', ')}`);
  return names as ContractCheck[];
}

export async function runContract(options: ContractOptions): Promise<ContractReport> {
  const started = performance.now();
  const contract = contracts[options.variant];
  const given =
    options.spec ??
    (specs[options.variant] && { spec: specs[options.variant]!, file: `openapi/${options.variant}.yaml` });
  if (!contract || !given)
    throw new UsageError(`no variant '${options.variant}'; the variants are ${Object.keys(contracts).join(', ')}`);
  const ops = specOperations(given.spec, given.file);
  const warnings: string[] = [];
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const base = `${baseUrl}${basePath(options, given.spec, baseUrl, warnings)}`;
  const deletes = (op: Operation) => contract.operations[op.id]?.deletes ?? op.method === 'delete';
  const target = await prepare(options, contract, baseUrl, ops.filter(deletes).length);

  const exchanges: Exchange[] = [];
  const documents = { own: [...target.documents], other: [...(target.other?.documents ?? [])] };
  const scope: Scope = { ...placeholders(contract), ...target.scope };
  const selected = new Set((options.checks ?? CHECKS).filter((c) => !options.excludeChecks?.includes(c)));
  const tolerated = new Set<string>();
  const allowed = headerMatcher(options.allowHeaders ?? []);
  const tolerate = (name: string) => {
    if (allowed(name)) return true;
    if (options.strictHeaders || !isInfrastructureHeader(name)) return false;
    tolerated.add(name);
    return true;
  };

  const results: CheckResult[] = [];
  for (const op of ops) {
    const opExchanges: Exchange[] = [];
    const ctx: RunContext = {
      op,
      contract,
      plan: contract.operations[op.id],
      deletes: deletes(op),
      target,
      base,
      scope,
      auth: undefined,
      requirement: op.security.sets[0] ?? [],
      async exchange(title: string, request: HttpRequest) {
        const exchange = { operation: op.id, title, request, response: await send(request) };
        exchanges.push(exchange);
        opExchanges.push(exchange);
        return exchange;
      },
      takeDocument: (tenant) => (tenant === 'other' ? documents.other : documents.own).shift(),
    };
    Object.assign(ctx, authenticate(ctx));

    const behaviour: CheckResult[] = [];
    // A call of something that does not exist: any documented answer, for the response checks.
    if (ctx.auth) {
      const call = ctx.plan ? ctx.plan.call(scope, newDocumentId()) : exampleCall(op);
      await ctx.exchange('probe: a call naming a document that does not exist', buildRequest(op, base, call, ctx.auth));
    }
    for (const check of RUN_ORDER.filter((c) => selected.has(c))) {
      behaviour.push(toResult(op, check, await behaviourChecks[check](ctx)));
    }
    const failures = responseFailures(ctx, opExchanges, tolerate);
    const responseResults = RESPONSE_CHECKS.filter((c) => selected.has(c)).map((check) => {
      if (opExchanges.length === 0)
        return toResult(op, check, { skipped: 'no response to check: every check that sends requests was skipped' });
      return toResult(op, check, { requests: opExchanges.length, failures: failures.get(check) ?? [] });
    });
    results.push(
      ...[...responseResults, ...behaviour].sort((a, b) => CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check)),
    );
  }
  const failOnSkip = options.failOnSkip ?? false;
  return {
    variant: options.variant,
    baseUrl,
    operations: ops.map(describe),
    setup: target.setup,
    warnings,
    toleratedHeaders: [...tolerated].sort(),
    failOnSkip,
    results,
    exchanges,
    durationMs: performance.now() - started,
    ok: results.every((r) => r.status !== 'failed' && !(failOnSkip && r.status === 'skipped' && !r.notApplicable)),
  };
}

/**
 * The path between the base URL and the spec's paths: as given, else the spec's server path, unless the base URL
 * already ends with it (a common slip: it would be doubled); then a warning says which URL is used.
 */
function basePath(options: ContractOptions, spec: Spec, baseUrl: string, warnings: string[]): string {
  if (options.basePath !== undefined) return options.basePath.replace(/\/+$/, '');
  const serverPath = mockBasePath(spec.definition);
  if (serverPath !== '' && new URL(baseUrl).pathname.replace(/\/+$/, '').endsWith(serverPath)) {
    warnings.push(
      `--base-url ${baseUrl} already ends with the spec's server path ${serverPath}: ` +
        `checking ${baseUrl}, not ${baseUrl}${serverPath}. ` +
        `Next time give the URL without it, or --base-path ''.`,
    );
    return '';
  }
  return serverPath;
}

/** Inputs given are used as they are; without any, tombstone's mock (if that is what answers) is prepared. */
async function prepare(
  options: ContractOptions,
  contract: VariantContract,
  baseUrl: string,
  deletes: number,
): Promise<Target> {
  if (options.stateless || hasInputs(options)) return givenTarget(options);
  const origin = (options.controlUrl ?? new URL(baseUrl).origin).replace(/\/+$/, '');
  if (await servesMock(origin, options.variant)) return prepareMock(origin, options.variant, contract, deletes);
  if (options.controlUrl) {
    throw new TombstoneError(
      `Failed to prepare state: ${origin}/_mock/health does not answer as tombstone's mock ` +
        `serving ${options.variant} does. ` +
        'Try the origin `tombstone serve` prints.',
    );
  }
  return givenTarget(options);
}

function placeholders(contract: VariantContract): Scope {
  return Object.fromEntries(Object.entries(contract.scope).map(([name, make]) => [name, make()]));
}

/** Credentials by scheme for the first requirement the target has all credentials for; none needed when optional. */
function authenticate(ctx: RunContext): Pick<RunContext, 'auth' | 'requirement'> {
  for (const requirement of ctx.op.security.sets) {
    const auth = credentialsFor({ ...ctx, requirement }, ctx.target);
    if (auth) return { requirement, auth };
  }
  const none = ctx.op.security.anonymous || ctx.op.security.sets.length === 0;
  return { requirement: ctx.requirement, auth: none ? {} : undefined };
}

function toResult(op: Operation, check: ContractCheck, outcome: Outcome): CheckResult {
  const base = { operation: describe(op), operationId: op.id, check };
  if ('skipped' in outcome) return { ...base, status: 'skipped', reason: outcome.skipped, requests: 0, failures: [] };
  if ('notApplicable' in outcome) {
    return {
      ...base,
      status: 'skipped',
      notApplicable: true,
      reason: outcome.notApplicable,
      requests: 0,
      failures: [],
    };
  }
  const status = outcome.failures.length > 0 ? 'failed' : 'passed';
  return {
    ...base,
    status,
    requests: outcome.requests,
    failures: outcome.failures,
    ...(outcome.note ? { reason: outcome.note } : {}),
  };
}

/** The response checks' violations over the operation's exchanges, by check, each with the Response Object broken. */
function responseFailures(
  ctx: RunContext,
  exchanges: Exchange[],
  tolerate: (name: string) => boolean,
): Map<CheckName, Failure[]> {
  const failures = new Map<CheckName, Failure[]>();
  const documented = Object.keys(ctx.op.responses).join(', ');
  for (const exchange of exchanges) {
    const key = responseKey(ctx.op.responses, exchange.response.status);
    for (const { check, message } of checkResponse(ctx.op.spec, ctx.op.id, exchange.response, { tolerate })) {
      const where =
        check === 'not_a_server_error'
          ? 'no 5xx (Schemathesis not_a_server_error)'
          : key
            ? `responses.${key}`
            : `responses (documented: ${documented})`;
      const list = failures.get(check) ?? [];
      list.push({ message, rule: rule(ctx, where), exchange });
      failures.set(check, list);
    }
  }
  return failures;
}
