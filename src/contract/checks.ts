/**
 * The behavioural checks: what a server must do beyond answering in documented shapes. Named like
 * Schemathesis's checks (https://schemathesis.readthedocs.io/en/stable/reference/checks/) where it has one;
 * `use_after_free` and `idempotency` say what a delete in particular must do. Each check sends its own requests
 * through `ctx.exchange`, which also hands every response to the response checks (conformance.ts).
 */
import { randomUUID } from 'node:crypto';
import { responseKey, type CheckName, type ObservedResponse } from '../conformance.js';
import type { Exchange } from './exchange.js';
import { negativeCalls } from './negative.js';
import { buildRequest, credentialHeader, parameters, type CallParts, type HttpRequest, type Operation } from './operation.js';
import { deleteOutcome, INPUTS, newDocumentId, type Scope, type ScopeName, type VariantPlan } from './plans.js';
import type { Target } from './prepare.js';

export type BehaviourCheck = 'ignored_auth' | 'negative_data_rejection' | 'missing_required_header' | 'unsupported_method' | 'use_after_free' | 'idempotency';
export type ContractCheck = CheckName | BehaviourCheck;

export interface Failure {
  message: string;
  /** The spec rule broken: the spec file, the operation and the part of it. */
  rule: string;
  exchange: Exchange;
}

export type Outcome = { skipped: string } | { requests: number; failures: Failure[]; note?: string };

export interface RunContext {
  op: Operation;
  plan: VariantPlan;
  target: Target;
  /** The base URL plus the spec's base path: the operation's path template is appended to it. */
  base: string;
  /** The target's scope, with placeholders for what it lacks. */
  scope: Scope;
  /** Credentials by security scheme for one requirement the target satisfies (`{}`: the spec needs none); undefined: none usable. */
  auth: Record<string, string> | undefined;
  /** The requirement `auth` satisfies, or the first one when there is no `auth`. */
  requirement: string[];
  /** Sends a request, records it for the response checks and the report. */
  exchange(title: string, request: HttpRequest): Promise<Exchange>;
  /** The next document the runner may delete. */
  takeDocument(): string | undefined;
}

type Check = (ctx: RunContext) => Promise<Outcome>;

const skip = (reason: string): Outcome => ({ skipped: reason });

/** `openapi/leadlex.yaml DELETE /v1/documents/{id}: <what>`. */
export function rule(ctx: { op: Operation }, what: string): string {
  return `${ctx.op.file} ${ctx.op.method} ${ctx.op.template}: ${what}`;
}

/** A valid call on a document that does not exist, so that a request wrongly accepted deletes nothing. */
function absentCall(ctx: RunContext): CallParts {
  return ctx.plan.deleteCall(ctx.scope, newDocumentId());
}

function needsCredentials(ctx: RunContext): string {
  const flags = ctx.requirement.map((scheme) => INPUTS[ctx.plan.credentials[scheme]!].flag).join(' and ');
  return `needs valid credentials (${flags}), or authentication would answer before what this check tests`;
}

/** The scope the plan names that the target lacks (a placeholder stands in for it). */
function missingScope(ctx: RunContext): ScopeName[] {
  return (Object.keys(ctx.plan.scope) as ScopeName[]).filter((name) => !(name in ctx.target.scope));
}

/** A 4xx the operation documents by its code (OpenAPI 3.0.3 Responses Object, as the response checks read it). */
function isDocumented4xx(ctx: RunContext, status: number): boolean {
  return status >= 400 && status < 500 && String(status) in ctx.op.object.responses;
}

function documented4xx(ctx: RunContext): string {
  return Object.keys(ctx.op.object.responses).filter((k) => k.startsWith('4')).join(', ');
}

/** The status the spec documents for failed authentication: 401 (RFC 9110, 15.5.2). */
const AUTH_FAILURE = '401';

/** Requests without credentials, and with invalid ones, must get exactly the documented 401. */
const ignoredAuth: Check = async (ctx) => {
  const { op } = ctx;
  if (op.requirements.length === 0) return skip(`${op.id} requires no credentials`);
  if (!(AUTH_FAILURE in op.object.responses)) return skip(`${op.id} documents no ${AUTH_FAILURE} for failed authentication`);
  // With optional credentials, the runner authenticates with none; the invalid ones go where a tenant's would.
  const requirement = ctx.requirement.length > 0 ? ctx.requirement : op.requirements[0]!;
  if (op.anonymous) {
    // 1Flow: a webhook with a secret needs it, one without takes anything; which it is, is the server's state.
    if (ctx.target.stateless) return skip('the spec makes credentials optional (security lists {}); whether a tenant requires them is server state, and the server is stateless');
    const missing = missingScope(ctx);
    if (!ctx.auth || Object.keys(ctx.auth).length === 0 || missing.length > 0) {
      const flags = [...requirement.map((s) => INPUTS[ctx.plan.credentials[s]!].flag), ...missing.map((m) => INPUTS[m].flag)].join(' and ');
      return skip(`the spec makes credentials optional (security lists {}): needs a tenant that requires them (${flags})`);
    }
  }
  const call = absentCall(ctx);
  const cases: [string, Record<string, string>][] = [['without credentials', {}]];
  if (!ctx.target.stateless) cases.push(['with invalid credentials', Object.fromEntries(requirement.map((s) => [s, `tombstone-invalid-${randomUUID()}`]))]);
  const failures: Failure[] = [];
  for (const [title, credentials] of cases) {
    const exchange = await ctx.exchange(`ignored_auth: ${title}`, buildRequest(op, ctx.base, call, credentials));
    if (String(exchange.response.status) !== AUTH_FAILURE) {
      failures.push({
        message: `${title}: expected ${AUTH_FAILURE}, the documented authentication failure; got ${exchange.response.status}`,
        rule: rule(ctx, `security ${requirement.join(' + ')} → responses.${AUTH_FAILURE}`),
        exchange,
      });
    }
  }
  return { requests: cases.length, failures, ...(ctx.target.stateless ? { note: 'invalid credentials not tried: a stateless server knows no valid ones' } : {}) };
};

/**
 * Each request made invalid in one place must get a documented 4xx. They name a document the runner may delete
 * when one is left, so that a server ignoring the invalid part shows it with a 2xx rather than a 404.
 */
const negativeDataRejection: Check = async (ctx) => {
  if (!ctx.auth) return skip(needsCredentials(ctx));
  const spare = ctx.target.stateless ? undefined : ctx.takeDocument();
  const calls = negativeCalls(ctx.op, spare ? ctx.plan.deleteCall(ctx.scope, spare) : absentCall(ctx));
  if (calls.length === 0) return skip(`${ctx.op.id} constrains no request part the runner can break`);
  const failures: Failure[] = [];
  for (const call of calls) {
    const exchange = await ctx.exchange(`negative_data_rejection: ${call.title}`, buildRequest(ctx.op, ctx.base, call.parts, ctx.auth));
    if (!isDocumented4xx(ctx, exchange.response.status)) {
      failures.push({
        message: `${call.title}: expected a documented 4xx (${documented4xx(ctx)}); got ${exchange.response.status}`,
        rule: rule(ctx, call.rule),
        exchange,
      });
    }
  }
  return { requests: calls.length, failures };
};

/**
 * Each header the operation requires, left out: a required header parameter, one credential of a requirement
 * that takes several (Velt's key and token), the Content-Type of a required body. Left out, a credential must
 * get the documented 401, anything else a documented 4xx.
 */
const missingRequiredHeader: Check = async (ctx) => {
  const cases: { header: string; why: string; expected: 'auth' | '4xx' }[] = [];
  for (const param of parameters(ctx.op, 'header').filter((p) => p.required)) {
    cases.push({ header: param.name.toLowerCase(), why: `parameters.${param.name}.required`, expected: '4xx' });
  }
  if (ctx.requirement.length > 1) {
    for (const scheme of ctx.requirement) {
      const [header] = credentialHeader(ctx.op, scheme, '');
      cases.push({ header, why: `security ${ctx.requirement.join(' + ')} → responses.${AUTH_FAILURE}`, expected: 'auth' });
    }
  }
  if ((ctx.op.object.requestBody as { required?: boolean } | undefined)?.required) {
    cases.push({ header: 'content-type', why: 'requestBody.required, content application/json', expected: '4xx' });
  }
  if (cases.length === 0) return skip(`${ctx.op.id} requires no header besides its credentials (ignored_auth covers those)`);
  if (!ctx.auth) return skip(needsCredentials(ctx));
  const valid = buildRequest(ctx.op, ctx.base, absentCall(ctx), ctx.auth);
  const failures: Failure[] = [];
  for (const c of cases) {
    const { [c.header]: _, ...headers } = valid.headers;
    const exchange = await ctx.exchange(`missing_required_header: without ${c.header}`, { ...valid, headers });
    const { status } = exchange.response;
    const ok = c.expected === 'auth' ? String(status) === AUTH_FAILURE : isDocumented4xx(ctx, status);
    if (!ok) {
      const expected = c.expected === 'auth' ? `${AUTH_FAILURE}, the documented authentication failure` : `a documented 4xx (${documented4xx(ctx)})`;
      failures.push({ message: `without ${c.header}: expected ${expected}; got ${status}`, rule: rule(ctx, c.why), exchange });
    }
  }
  return { requests: cases.length, failures };
};

const PROBE_METHODS = ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'];

/** A method the path does not have must get 405 with an `Allow` that lists the ones it has (RFC 9110, 15.5.6). */
const unsupportedMethod: Check = async (ctx) => {
  if (!ctx.auth) return skip(needsCredentials(ctx));
  const documented = PROBE_METHODS.filter((m) => m.toLowerCase() in ctx.op.pathItem);
  const method = PROBE_METHODS.find((m) => !documented.includes(m))!;
  const valid = buildRequest(ctx.op, ctx.base, absentCall(ctx), ctx.auth);
  // fetch sends no body with GET: a body-less probe whatever the method.
  const { 'content-type': _, ...headers } = valid.headers;
  const exchange = await ctx.exchange(`unsupported_method: ${method}`, { method, url: valid.url, headers });
  const { status, headers: answered } = exchange.response;
  const allow = (answered['allow'] ?? '').split(',').map((m) => m.trim().toUpperCase());
  const missing = documented.filter((m) => !allow.includes(m));
  const problems = [
    ...(status !== 405 ? [`expected 405; got ${status}`] : []),
    ...(answered['allow'] === undefined ? ['no Allow header'] : missing.length > 0 ? [`Allow "${answered['allow']}" does not list ${missing.join(', ')}`] : []),
  ];
  if (problems.length === 0) return { requests: 1, failures: [] };
  return { requests: 1, failures: [{ message: `${method}: ${problems.join('; ')}`, rule: rule(ctx, `responses.405 with Allow: ${documented.join(', ')} (RFC 9110, 15.5.6)`), exchange }] };
};

function statefulSkip(ctx: RunContext): string | undefined {
  if (ctx.target.stateless) return 'the server is stateless: it keeps no documents to delete';
  if (!ctx.auth) return needsCredentials(ctx);
  const missing = missingScope(ctx);
  if (missing.length > 0) return `needs ${missing.map((m) => INPUTS[m].flag).join(' and ')}, where the documents it deletes live`;
  return undefined;
}

/** The first delete of a document must report it deleted; else the check has nothing to build on. */
function firstDelete(ctx: RunContext, exchange: Exchange, documentId: string, what: string): Failure | undefined {
  if (deleteOutcome(ctx.plan, exchange.response, documentId) === 'deleted') return undefined;
  return {
    message: `${what}: the first delete of ${documentId} must succeed; got ${exchange.response.status}`,
    rule: rule(ctx, `responses.${successStatus(ctx)}`),
    exchange,
  };
}

function successStatus(ctx: RunContext): string {
  return Object.keys(ctx.op.object.responses).find((k) => k.startsWith('2')) ?? '2XX';
}

/**
 * After a successful delete, the same delete again must find nothing: the documented not-found (Velt: "Document
 * does not exist" in the bulk result), never a second success.
 */
const useAfterFree: Check = async (ctx) => {
  const reason = statefulSkip(ctx);
  if (reason) return skip(reason);
  const id = ctx.takeDocument();
  if (!id) return skip(`needs a document it may delete (${INPUTS.documents.flag} <id>, or ${INPUTS.documents.env})`);
  const request = buildRequest(ctx.op, ctx.base, ctx.plan.deleteCall(ctx.scope, id), ctx.auth);
  const first = await ctx.exchange(`use_after_free: delete ${id}`, request);
  const failed = firstDelete(ctx, first, id, 'use_after_free');
  if (failed) return { requests: 1, failures: [failed] };
  const again = await ctx.exchange(`use_after_free: delete ${id} again`, request);
  if (deleteOutcome(ctx.plan, again.response, id) === 'gone') return { requests: 2, failures: [] };
  return {
    requests: 2,
    failures: [{ message: `the second delete of ${id} did not report it gone: got ${summary(again.response)}`, rule: rule(ctx, 'a deleted document is not found again (responses.404)'), exchange: again }],
  };
};

const REPLAY_HEADER = 'idempotent-replayed';

/**
 * The same delete with the same Idempotency-Key must get the same response, marked as a replay where the spec
 * documents a replay header. IETF draft "The Idempotency-Key HTTP Header Field", section 2.6.
 */
const idempotency: Check = async (ctx) => {
  const param = parameters(ctx.op, 'header').find((p) => p.name.toLowerCase() === 'idempotency-key');
  if (!param) return skip(`${ctx.op.id} documents no Idempotency-Key header`);
  const reason = statefulSkip(ctx);
  if (reason) return skip(reason);
  const id = ctx.takeDocument();
  if (!id) return skip(`needs a document it may delete besides use_after_free's (one more ${INPUTS.documents.flag} <id>)`);
  const call = ctx.plan.deleteCall(ctx.scope, id);
  const request = buildRequest(ctx.op, ctx.base, { ...call, headers: { ...call.headers, [param.name]: randomUUID() } }, ctx.auth);
  const first = await ctx.exchange(`idempotency: delete ${id} with an Idempotency-Key`, request);
  const failed = firstDelete(ctx, first, id, 'idempotency');
  if (failed) return { requests: 1, failures: [failed] };
  const replay = await ctx.exchange(`idempotency: the same request again`, request);
  const firstKey = responseKey(ctx.op.object, first.response.status);
  const documentsReplay = Object.keys(((firstKey && ctx.op.object.responses[firstKey]) as { headers?: object } | undefined)?.headers ?? {}).some((h) => h.toLowerCase() === REPLAY_HEADER);
  const problems = [
    ...(replay.response.status !== first.response.status ? [`status ${replay.response.status}, first ${first.response.status}`] : []),
    ...(replay.response.body !== first.response.body ? ['a different body'] : []),
    ...(documentsReplay && replay.response.headers[REPLAY_HEADER] !== 'true' ? ['no Idempotent-Replayed: true'] : []),
    ...(documentsReplay && first.response.headers[REPLAY_HEADER] !== undefined ? ['the first response already says Idempotent-Replayed'] : []),
  ];
  if (problems.length === 0) return { requests: 2, failures: [] };
  return {
    requests: 2,
    failures: [{ message: `the replay differs from the first response: ${problems.join('; ')}`, rule: rule(ctx, `parameters.${param.name}: the same key gets the same result`), exchange: replay }],
  };
};

/** `204`, or `200 {"result":…}`: the status and the start of the body. */
function summary(res: ObservedResponse): string {
  const body = res.body.length > 120 ? `${res.body.slice(0, 120)}…` : res.body;
  return body ? `${res.status} ${body}` : String(res.status);
}

/** In the order they are reported. */
export const behaviourChecks: Record<BehaviourCheck, Check> = {
  ignored_auth: ignoredAuth,
  negative_data_rejection: negativeDataRejection,
  missing_required_header: missingRequiredHeader,
  unsupported_method: unsupportedMethod,
  use_after_free: useAfterFree,
  idempotency,
};

/** The checks that delete documents go first, so that they get the documents given before any is spent on negative data. */
export const RUN_ORDER: BehaviourCheck[] = ['use_after_free', 'idempotency', 'ignored_auth', 'negative_data_rejection', 'missing_required_header', 'unsupported_method'];
