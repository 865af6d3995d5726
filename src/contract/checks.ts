/**
 * The behavioural checks: what a server must do beyond answering in documented shapes. Named like
 * Schemathesis's checks (https://schemathesis.readthedocs.io/en/stable/reference/checks/) where it has one;
 * `use_after_free`, `idempotency`, `unknown_parent_resource` and `per_item_results` say what a delete in particular
 * must do. Each check sends its own requests through `ctx.exchange`, which also hands every response to the
 * response checks (conformance.ts). Generic checks apply to every operation, the stateful ones to operations that
 * delete.
 */
import { randomUUID } from 'node:crypto';
import type { OpenAPIV3 } from 'openapi-types';
import { type CheckName, type ObservedResponse, responseKey } from '../conformance.js';
import type { Exchange } from './exchange.js';
import { negativeCalls } from './negative.js';
import type { CallParts, HttpRequest, Operation } from './operation.js';
import { buildRequest, credentialHeader, exampleCall, parameters } from './operation.js';
import {
  deleteOutcome,
  INPUTS,
  newDocumentId,
  type OperationPlan,
  otherInput,
  type Scope,
  type ScopeName,
  type VariantContract,
} from './plans.js';
import { positiveCalls } from './positive.js';
import type { Target, Tenant } from './prepare.js';

export const BEHAVIOUR_CHECKS = [
  'ignored_auth',
  'negative_data_rejection',
  'positive_data_acceptance',
  'missing_required_header',
  'unsupported_method',
  'unknown_parent_resource',
  'use_after_free',
  'idempotency',
  'object_level_authorization',
  'per_item_results',
] as const;
export type BehaviourCheck = (typeof BEHAVIOUR_CHECKS)[number];
export type ContractCheck = CheckName | BehaviourCheck;

export interface Failure {
  message: string;
  /** The spec rule broken: the spec file, the operation and the part of it. */
  rule: string;
  exchange: Exchange;
}

/**
 * `skipped`: the check could not be prepared (an input is missing); `notApplicable`: the spec gives it nothing to
 * test for this operation. Only the first fails a run with --fail-on-skip.
 */
export type Outcome =
  | { skipped: string }
  | { notApplicable: string }
  | { requests: number; failures: Failure[]; note?: string };

export interface RunContext {
  op: Operation;
  contract: VariantContract;
  /** What the variant's contract.ts says of this operation, if anything. */
  plan: OperationPlan | undefined;
  /** The operation deletes documents: the stateful checks apply. */
  deletes: boolean;
  target: Target;
  /** The base URL plus the spec's base path: the operation's path template is appended to it. */
  base: string;
  /** The target's scope, with placeholders for what it lacks. */
  scope: Scope;
  /** Credentials by scheme for one requirement the target satisfies (`{}`: none needed); undefined: none usable. */
  auth: Record<string, string> | undefined;
  /** The requirement `auth` satisfies, or the first one when there is no `auth`. */
  requirement: string[];
  /** Sends a request, records it for the response checks and the report. */
  exchange(title: string, request: HttpRequest): Promise<Exchange>;
  /** The next document of the target's tenant (or of the other tenant) the runner may delete. */
  takeDocument(tenant?: 'other'): string | undefined;
}

type Check = (ctx: RunContext) => Promise<Outcome>;

const skip = (reason: string): Outcome => ({ skipped: reason });
const notApplicable = (reason: string): Outcome => ({ notApplicable: reason });

/** `openapi/leadlex.yaml DELETE /v1/documents/{id}: <what>`. */
export function rule(ctx: { op: Operation }, what: string): string {
  return `${ctx.op.file} ${ctx.op.verb} ${ctx.op.path}: ${what}`;
}

/** A valid call naming `documentId`: the contract's call, else the call the spec's examples make (no document). */
function callFor(ctx: RunContext, documentId: string, scope: Scope = ctx.scope): CallParts {
  return ctx.plan ? ctx.plan.call(scope, documentId) : exampleCall(ctx.op);
}

/** A valid call on a document that does not exist, so that a request wrongly accepted deletes nothing. */
function absentCall(ctx: RunContext): CallParts {
  return callFor(ctx, newDocumentId());
}

function flags(names: string[]): string {
  return names.join(' and ');
}

function credentialFlags(ctx: RunContext, requirement = ctx.requirement, other = false): string[] {
  return requirement.map((scheme) => {
    const name = ctx.contract.credentials[scheme]!;
    return (other ? otherInput(name) : INPUTS[name]).flag;
  });
}

function needsCredentials(ctx: RunContext): string {
  const given = flags(credentialFlags(ctx));
  return `needs valid credentials (${given}), or authentication would answer before what this check tests`;
}

/** The scope the contract names that the tenant lacks (a placeholder stands in for it). */
function missingScope(ctx: RunContext, tenant: Tenant = ctx.target): ScopeName[] {
  return (Object.keys(ctx.contract.scope) as ScopeName[]).filter((name) => !(name in tenant.scope));
}

/** A 4xx the operation documents by its code (OpenAPI 3.0.3 Responses Object, as the response checks read it). */
export function isDocumented4xx(ctx: { op: Operation }, status: number): boolean {
  return status >= 400 && status < 500 && String(status) in ctx.op.responses;
}

export function documented4xx(ctx: { op: Operation }): string {
  return Object.keys(ctx.op.responses)
    .filter((k) => k.startsWith('4'))
    .join(', ');
}

/** The status the spec documents for failed authentication: 401 (RFC 9110, 15.5.2). */
export const AUTH_FAILURE = '401';

/**
 * An invalid credential in the shape of `valid`: its prefix up to the last `_` or `-` kept, every letter and digit
 * after it replaced by another of the same kind, so that a server checking only the shape (`wbk_…`) accepts it.
 * Never one of the `known` credentials (a short tail could otherwise land on another tenant's key).
 */
export function shapedLike(valid: string, known: string[] = []): string {
  const cut = Math.max(valid.lastIndexOf('_'), valid.lastIndexOf('-')) + 1;
  const tail = cut > 0 && /[0-9A-Za-z]/.test(valid.slice(cut)) ? cut : 0;
  const pools = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  // Every letter and digit moved along its alphabet by the same random step, then by one more until the result
  // is neither `valid` nor known: every step up to 260 (10 × 26) is tried before giving up.
  const start = Math.floor(Math.random() * 260);
  for (let step = start + 1; step <= start + 260; step++) {
    const shift = (c: string): string => {
      const pool = pools.find((p) => p.includes(c));
      return pool ? pool[(pool.indexOf(c) + step) % pool.length]! : c;
    };
    const shaped = valid.slice(0, tail) + [...valid.slice(tail)].map(shift).join('');
    if (shaped !== valid && !known.includes(shaped)) return shaped;
  }
  // Nothing to vary (no letter or digit), or every variation is known: one more character, as near as it gets.
  return `${valid}x`;
}

/**
 * The documented shape of a scheme's credential when no valid one is known: a prefix such as `wbk_` named by its
 * `bearerFormat` or its description (OpenAPI 3.0.3, Security Scheme Object).
 */
function documentedShape(ctx: RunContext, scheme: string): string | undefined {
  const s = ctx.op.schemes[scheme];
  const text = `${(s as OpenAPIV3.HttpSecurityScheme | undefined)?.bearerFormat ?? ''} ${s?.description ?? ''}`;
  const prefix = /\b([a-z]{2,8}_)/i.exec(text)?.[1];
  return prefix ? `${prefix}${randomUUID().replaceAll('-', '').slice(0, 24)}` : undefined;
}

/**
 * Requests without credentials, with foreign ones, with ones shaped like valid ones, and (in a requirement of
 * several) with each credential invalid alone while the others are valid: each must get exactly the documented 401.
 */
const ignoredAuth: Check = async (ctx) => {
  const { op } = ctx;
  if (op.security.sets.length === 0) return notApplicable(`${op.id} requires no credentials`);
  if (!(AUTH_FAILURE in op.responses))
    return notApplicable(`${op.id} documents no ${AUTH_FAILURE} for failed authentication`);
  // With optional credentials, the runner authenticates with none; the invalid ones go where a tenant's would.
  const requirement = ctx.requirement.length > 0 ? ctx.requirement : op.security.sets[0]!;
  if (op.security.anonymous) {
    // 1Flow: a webhook with a secret needs it, one without takes anything; which it is, is the server's state.
    const optional = 'the spec makes credentials optional (security lists {})';
    if (ctx.target.stateless)
      return skip(`${optional}; whether a tenant requires them is server state, and the server is stateless`);
    const missing = missingScope(ctx);
    if (!ctx.auth || Object.keys(ctx.auth).length === 0 || missing.length > 0) {
      return skip(
        `${optional}: needs a tenant that requires them ` +
          `(${flags([...credentialFlags(ctx, requirement), ...missing.map((m) => INPUTS[m].flag)])})`,
      );
    }
  }
  const call = absentCall(ctx);
  const cases: [string, Record<string, string>][] = [['without credentials', {}]];
  const notes: string[] = [];
  if (ctx.target.stateless) notes.push('invalid credentials not tried: a stateless server knows no valid ones');
  else {
    cases.push([
      'with invalid credentials',
      Object.fromEntries(requirement.map((s) => [s, `tombstone-invalid-${randomUUID()}`])),
    ]);
    const valid = ctx.auth && Object.keys(ctx.auth).length > 0 ? ctx.auth : undefined;
    const known = [ctx.target, ctx.target.other].flatMap((t) => Object.values(t?.credentials ?? {}));
    const shaped = requirement.map((s) => [s, valid ? shapedLike(valid[s]!, known) : documentedShape(ctx, s)] as const);
    if (shaped.every(([, v]) => v !== undefined)) {
      cases.push([
        `with credentials shaped like valid ones (${shaped.map(([, v]) => v).join(', ')})`,
        Object.fromEntries(shaped) as Record<string, string>,
      ]);
    } else notes.push(`no credential shaped like a valid one tried: needs ${flags(credentialFlags(ctx, requirement))}`);
    if (requirement.length > 1 && valid) {
      for (const [scheme, invalid] of shaped) {
        cases.push([`with only ${credentialHeader(op, scheme, '')[0]} invalid`, { ...valid, [scheme]: invalid! }]);
      }
    } else if (requirement.length > 1)
      notes.push(`each credential alone not made invalid: needs ${flags(credentialFlags(ctx, requirement))}`);
  }
  const failures: Failure[] = [];
  for (const [title, credentials] of cases) {
    const exchange = await ctx.exchange(`ignored_auth: ${title}`, buildRequest(op, ctx.base, call, credentials));
    if (String(exchange.response.status) !== AUTH_FAILURE) {
      failures.push({
        message:
          `${title}: expected ${AUTH_FAILURE}, the documented authentication failure; ` +
          `got ${exchange.response.status}`,
        rule: rule(ctx, `security ${requirement.join(' + ')} → responses.${AUTH_FAILURE}`),
        exchange,
      });
    }
  }
  return { requests: cases.length, failures, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
};

/**
 * Each request made invalid in one place must get a documented 4xx. They name a document the runner may delete
 * when one is left, so that a server ignoring the invalid part shows it with a 2xx rather than a 404.
 */
const negativeDataRejection: Check = async (ctx) => {
  if (!ctx.auth) return skip(needsCredentials(ctx));
  const spare = ctx.deletes && ctx.plan && !ctx.target.stateless ? ctx.takeDocument() : undefined;
  const calls = negativeCalls(ctx.op, spare ? callFor(ctx, spare) : absentCall(ctx));
  if (calls.length === 0) return notApplicable(`${ctx.op.id} constrains no request part the runner can break`);
  const failures: Failure[] = [];
  for (const call of calls) {
    const exchange = await ctx.exchange(
      `negative_data_rejection: ${call.title}`,
      buildRequest(ctx.op, ctx.base, call.parts, ctx.auth),
    );
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
 * The statuses that refuse a request as malformed (RFC 9110, 15.5.1 400, 15.5.14 413, 15.5.16 415, 15.5.21 422):
 * a valid request must not get one. Anything else (2xx, 401, 403, 404, 409 ...) says something of the state.
 */
export const REJECTIONS = [400, 413, 415, 422];

/** Requests the spec accepts, varied within their schemas, must not be refused as malformed. */
const positiveDataAcceptance: Check = async (ctx) => {
  if (!ctx.auth) return skip(needsCredentials(ctx));
  const calls = positiveCalls(ctx.op, absentCall(ctx));
  if (calls.length === 0) return notApplicable(`${ctx.op.id} takes no parameter or body the runner can vary`);
  const failures: Failure[] = [];
  for (const call of calls) {
    const exchange = await ctx.exchange(
      `positive_data_acceptance: ${call.title}`,
      buildRequest(ctx.op, ctx.base, call.parts, ctx.auth),
    );
    if (REJECTIONS.includes(exchange.response.status)) {
      failures.push({
        message: `${call.title}: a valid request was refused with ${exchange.response.status}`,
        rule: rule(ctx, `${call.title.split(':')[0]} is valid by its schema`),
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
      cases.push({
        header,
        why: `security ${ctx.requirement.join(' + ')} → responses.${AUTH_FAILURE}`,
        expected: 'auth',
      });
    }
  }
  if ((ctx.op.object.requestBody as { required?: boolean } | undefined)?.required) {
    cases.push({ header: 'content-type', why: 'requestBody.required, content application/json', expected: '4xx' });
  }
  if (cases.length === 0) {
    return notApplicable(`${ctx.op.id} requires no header besides its credentials (ignored_auth covers those)`);
  }
  if (!ctx.auth) return skip(needsCredentials(ctx));
  const valid = buildRequest(ctx.op, ctx.base, absentCall(ctx), ctx.auth);
  const failures: Failure[] = [];
  for (const c of cases) {
    const { [c.header]: _, ...headers } = valid.headers;
    const exchange = await ctx.exchange(`missing_required_header: without ${c.header}`, { ...valid, headers });
    const { status } = exchange.response;
    const ok = c.expected === 'auth' ? String(status) === AUTH_FAILURE : isDocumented4xx(ctx, status);
    if (!ok) {
      const expected =
        c.expected === 'auth'
          ? `${AUTH_FAILURE}, the documented authentication failure`
          : `a documented 4xx (${documented4xx(ctx)})`;
      failures.push({
        message: `without ${c.header}: expected ${expected}; got ${status}`,
        rule: rule(ctx, c.why),
        exchange,
      });
    }
  }
  return { requests: cases.length, failures };
};

const PROBE_METHODS = ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'];

/** A method the path does not have must get 405 with an `Allow` that lists the ones it has (RFC 9110, 15.5.6). */
const unsupportedMethod: Check = async (ctx) => {
  if (!ctx.auth) return skip(needsCredentials(ctx));
  const documented = PROBE_METHODS.filter((m) => m.toLowerCase() in ctx.op.pathItem);
  const method = PROBE_METHODS.find((m) => !documented.includes(m));
  if (!method) return notApplicable(`${ctx.op.path} has every method the runner probes`);
  const valid = buildRequest(ctx.op, ctx.base, absentCall(ctx), ctx.auth);
  // fetch sends no body with GET: a body-less probe whatever the method.
  const { 'content-type': _, ...headers } = valid.headers;
  const exchange = await ctx.exchange(`unsupported_method: ${method}`, { method, url: valid.url, headers });
  const problems = methodProblems(documented, exchange.response);
  if (problems.length === 0) return { requests: 1, failures: [] };
  const why = `responses.405 with Allow: ${documented.join(', ')} (RFC 9110, 15.5.6)`;
  return { requests: 1, failures: [{ message: `${method}: ${problems.join('; ')}`, rule: rule(ctx, why), exchange }] };
};

/** What is wrong with the answer to a method the path lacks: not a 405, or no `Allow` listing the `documented` ones. */
export function methodProblems(documented: string[], { status, headers }: ObservedResponse): string[] {
  const allow = (headers['allow'] ?? '').split(',').map((m) => m.trim().toUpperCase());
  const missing = documented.filter((m) => !allow.includes(m));
  return [
    ...(status !== 405 ? [`expected 405; got ${status}`] : []),
    ...(headers['allow'] === undefined
      ? ['no Allow header']
      : missing.length > 0
        ? [`Allow "${headers['allow']}" does not list ${missing.join(', ')}`]
        : []),
  ];
}

/** Why a check that needs the operation to delete one of the tenant's documents cannot run, if it cannot. */
function statefulSkip(ctx: RunContext): Outcome | undefined {
  if (!ctx.deletes)
    return notApplicable(`${ctx.op.id} does not delete: the stateful checks apply to operations that delete`);
  if (!ctx.plan) return skip(`the variant's contract.ts gives no call of ${ctx.op.id} naming a document`);
  if (ctx.target.stateless) return skip('the server is stateless: it keeps no documents to delete');
  if (!ctx.auth) return skip(needsCredentials(ctx));
  const missing = missingScope(ctx);
  if (missing.length > 0)
    return skip(`needs ${flags(missing.map((m) => INPUTS[m].flag))}, where the documents it deletes live`);
  return undefined;
}

const needsDocument = `needs a document it may delete (${INPUTS.documents.flag} <id>, or ${INPUTS.documents.env})`;

/** The outcome the contract reads for `documentId`; the operation has a plan wherever this is called. */
function outcomeOf(ctx: RunContext, res: ObservedResponse, documentId: string) {
  return deleteOutcome(ctx.plan!, res, documentId);
}

/** The first delete of a document must report it deleted; else the check has nothing to build on. */
function firstDelete(ctx: RunContext, exchange: Exchange, documentId: string, what: string): Failure | undefined {
  if (outcomeOf(ctx, exchange.response, documentId) === 'deleted') return undefined;
  return {
    message: `${what}: the first delete of ${documentId} must succeed; got ${exchange.response.status}`,
    rule: rule(ctx, `responses.${successStatus(ctx)}`),
    exchange,
  };
}

function successStatus(ctx: RunContext): string {
  return Object.keys(ctx.op.responses).find((k) => k.startsWith('2')) ?? '2XX';
}

/**
 * After a successful delete, the same delete again must find nothing: the documented not-found (Velt: "Document
 * does not exist" in the bulk result), never a second success.
 */
const useAfterFree: Check = async (ctx) => {
  const reason = statefulSkip(ctx);
  if (reason) return reason;
  const id = ctx.takeDocument();
  if (!id) return skip(needsDocument);
  const request = buildRequest(ctx.op, ctx.base, callFor(ctx, id), ctx.auth);
  const first = await ctx.exchange(`use_after_free: delete ${id}`, request);
  const failed = firstDelete(ctx, first, id, 'use_after_free');
  if (failed) return { requests: 1, failures: [failed] };
  const again = await ctx.exchange(`use_after_free: delete ${id} again`, request);
  if (outcomeOf(ctx, again.response, id) === 'gone') return { requests: 2, failures: [] };
  return {
    requests: 2,
    failures: [
      {
        message: `the second delete of ${id} did not report it gone: got ${summary(again.response)}`,
        rule: rule(ctx, 'a deleted document is not found again (responses.404)'),
        exchange: again,
      },
    ],
  };
};

const REPLAY_HEADER = 'idempotent-replayed';

/**
 * The same delete with the same Idempotency-Key must get the same response, marked as a replay where the spec
 * documents a replay header. IETF draft "The Idempotency-Key HTTP Header Field", section 2.6.
 */
const idempotency: Check = async (ctx) => {
  const param = parameters(ctx.op, 'header').find((p) => p.name.toLowerCase() === 'idempotency-key');
  if (!param) return notApplicable(`${ctx.op.id} documents no Idempotency-Key header`);
  const reason = statefulSkip(ctx);
  if (reason) return reason;
  const id = ctx.takeDocument();
  if (!id)
    return skip(`needs a document it may delete besides use_after_free's (one more ${INPUTS.documents.flag} <id>)`);
  const call = callFor(ctx, id);
  const request = buildRequest(
    ctx.op,
    ctx.base,
    { ...call, headers: { ...call.headers, [param.name]: randomUUID() } },
    ctx.auth,
  );
  const first = await ctx.exchange(`idempotency: delete ${id} with an Idempotency-Key`, request);
  const failed = firstDelete(ctx, first, id, 'idempotency');
  if (failed) return { requests: 1, failures: [failed] };
  const replay = await ctx.exchange(`idempotency: the same request again`, request);
  const firstKey = responseKey(ctx.op.responses, first.response.status);
  const firstResponse = (firstKey ? ctx.op.responses[firstKey] : undefined) as OpenAPIV3.ResponseObject | undefined;
  const documentsReplay = Object.keys(firstResponse?.headers ?? {}).some((h) => h.toLowerCase() === REPLAY_HEADER);
  const problems = [
    ...(replay.response.status !== first.response.status
      ? [`status ${replay.response.status}, first ${first.response.status}`]
      : []),
    ...(replay.response.body !== first.response.body ? ['a different body'] : []),
    ...(documentsReplay && replay.response.headers[REPLAY_HEADER] !== 'true' ? ['no Idempotent-Replayed: true'] : []),
    ...(documentsReplay && first.response.headers[REPLAY_HEADER] !== undefined
      ? ['the first response already says Idempotent-Replayed']
      : []),
  ];
  if (problems.length === 0) return { requests: 2, failures: [] };
  return {
    requests: 2,
    failures: [
      {
        message: `the replay differs from the first response: ${problems.join('; ')}`,
        rule: rule(ctx, `parameters.${param.name}: the same key gets the same result`),
        exchange: replay,
      },
    ],
  };
};

/**
 * For each parent a call names (a Dify knowledge base, a Velt organization, a 1Flow webhook), one that does not
 * exist must get the documented 404 (else a documented 4xx), and delete nothing: the call names one of the
 * tenant's documents when one is left, so that a server ignoring the parent shows it.
 */
const unknownParentResource: Check = async (ctx) => {
  const parents = Object.entries(ctx.contract.scope) as [ScopeName, () => string][];
  if (!ctx.plan || parents.length === 0)
    return notApplicable(`${ctx.op.id} names no parent resource in the variant's contract.ts`);
  if (ctx.target.stateless)
    return skip('the server is stateless: it cannot tell a parent that exists from one that does not');
  if (!ctx.auth) return skip(needsCredentials(ctx));
  const expected = '404' in ctx.op.responses ? 'the documented 404' : `a documented 4xx (${documented4xx(ctx)})`;
  const failures: Failure[] = [];
  for (const [name, make] of parents) {
    const id = (missingScope(ctx).length === 0 ? ctx.takeDocument() : undefined) ?? newDocumentId();
    const unknown = make();
    const exchange = await ctx.exchange(
      `unknown_parent_resource: ${name} ${unknown}`,
      buildRequest(ctx.op, ctx.base, callFor(ctx, id, { ...ctx.scope, [name]: unknown }), ctx.auth),
    );
    const { status } = exchange.response;
    const ok = '404' in ctx.op.responses ? status === 404 : isDocumented4xx(ctx, status);
    if (!ok) {
      failures.push({
        message: `an unknown ${name}: expected ${expected}; got ${summary(exchange.response)}`,
        rule: rule(ctx, `a ${name} that does not exist → responses.404`),
        exchange,
      });
    }
  }
  return { requests: parents.length, failures };
};

/**
 * OWASP API1:2023, broken object-level authorization: with this tenant's credentials, the other tenant's document
 * gets the answer a missing document gets (in this tenant's scope), and a refusal in the other tenant's scope; the
 * other tenant then still deletes it with its own credentials.
 */
const objectLevelAuthorization: Check = async (ctx) => {
  const reason = statefulSkip(ctx);
  if (reason) return reason;
  const other = ctx.target.other;
  const otherAuth = other ? credentialsFor(ctx, other) : undefined;
  const missing = other ? missingScope(ctx, other) : Object.keys(ctx.contract.scope);
  if (!other || !otherAuth || missing.length > 0) {
    const needed = [
      ...credentialFlags(ctx, ctx.requirement, true),
      ...missing.map((m) => otherInput(m as ScopeName).flag),
    ];
    return skip(
      `needs a second tenant: ${flags([...needed, otherInput('documents').flag])} ` +
        `(or ${otherInput(ctx.contract.credentials[ctx.requirement[0] ?? ''] ?? 'documents').env}, ...)`,
    );
  }
  const id = ctx.takeDocument('other');
  if (!id) return skip(`needs a document of the second tenant it may delete (${otherInput('documents').flag} <id>)`);
  const otherScope: Scope = { ...ctx.scope, ...other.scope };
  const failures: Failure[] = [];
  const inOwnScope = await ctx.exchange(
    `object_level_authorization: the other tenant's ${id} in this tenant's scope`,
    buildRequest(ctx.op, ctx.base, callFor(ctx, id), ctx.auth),
  );
  if (outcomeOf(ctx, inOwnScope.response, id) !== 'gone') {
    failures.push({
      message:
        `the other tenant's document ${id} did not get the answer a missing one gets: ` +
        `got ${summary(inOwnScope.response)}`,
      rule: rule(ctx, "another tenant's document is not found (responses.404; OWASP API1:2023)"),
      exchange: inOwnScope,
    });
  }
  let requests = 1;
  if (Object.keys(ctx.contract.scope).length > 0) {
    requests++;
    const inOtherScope = await ctx.exchange(
      `object_level_authorization: the other tenant's ${id} in its own scope`,
      buildRequest(ctx.op, ctx.base, callFor(ctx, id, otherScope), ctx.auth),
    );
    if (
      !isDocumented4xx(ctx, inOtherScope.response.status) ||
      outcomeOf(ctx, inOtherScope.response, id) === 'deleted'
    ) {
      failures.push({
        message: `the other tenant's scope answered this tenant's credentials: got ${summary(inOtherScope.response)}`,
        rule: rule(
          ctx,
          `another tenant's ${Object.keys(ctx.contract.scope).join(', ')} is refused ` +
            '(a documented 4xx; OWASP API1:2023)',
        ),
        exchange: inOtherScope,
      });
    }
  }
  const owner = await ctx.exchange(
    `object_level_authorization: the other tenant deletes ${id} itself`,
    buildRequest(ctx.op, ctx.base, callFor(ctx, id, otherScope), otherAuth),
  );
  if (outcomeOf(ctx, owner.response, id) !== 'deleted') {
    failures.push({
      message: `the other tenant's document ${id} was not there any more for its owner: got ${summary(owner.response)}`,
      rule: rule(ctx, `only the owner's delete deletes (responses.${successStatus(ctx)}; OWASP API1:2023)`),
      exchange: owner,
    });
  }
  return { requests: requests + 1, failures };
};

/** Credentials by scheme of the tenant for the runner's requirement; undefined when it lacks one. */
export function credentialsFor(ctx: RunContext, tenant: Tenant): Record<string, string> | undefined {
  const values = ctx.requirement.map((scheme) => tenant.credentials[ctx.contract.credentials[scheme]!]);
  if (values.some((v) => v === undefined)) return undefined;
  return Object.fromEntries(ctx.requirement.map((scheme, i) => [scheme, values[i]!]));
}

/**
 * An operation that reports on each document of a call (Velt's `result.data`) must report each as the state has
 * it: one call naming a document that exists and one that does not gets "deleted" for the first only.
 */
const perItemResults: Check = async (ctx) => {
  if (!ctx.plan?.bulkCall)
    return notApplicable(`${ctx.op.id} reports no result per document (no bulkCall in the variant's contract.ts)`);
  const reason = statefulSkip(ctx);
  if (reason) return reason;
  const existing = ctx.takeDocument();
  if (!existing) return skip(needsDocument);
  const absent = newDocumentId();
  const exchange = await ctx.exchange(
    `per_item_results: delete ${existing} (exists) and ${absent} (does not) at once`,
    buildRequest(ctx.op, ctx.base, ctx.plan.bulkCall(ctx.scope, [existing, absent]), ctx.auth),
  );
  const problems = [
    ...(outcomeOf(ctx, exchange.response, existing) !== 'deleted'
      ? [`${existing}, which existed, is not reported deleted`]
      : []),
    ...(outcomeOf(ctx, exchange.response, absent) !== 'gone'
      ? [`${absent}, which never existed, is not reported missing`]
      : []),
  ];
  if (problems.length === 0) return { requests: 1, failures: [] };
  return {
    requests: 1,
    failures: [
      {
        message: problems.join('; '),
        rule: rule(ctx, `each document's result says what happened to it (responses.${successStatus(ctx)})`),
        exchange,
      },
    ],
  };
};

/** `204`, or `200 {"result":…}`: the status and the start of the body. */
function summary(res: ObservedResponse): string {
  const body = res.body.length > 120 ? `${res.body.slice(0, 120)}…` : res.body;
  return body ? `${res.status} ${body}` : String(res.status);
}

export const behaviourChecks: Record<BehaviourCheck, Check> = {
  ignored_auth: ignoredAuth,
  negative_data_rejection: negativeDataRejection,
  positive_data_acceptance: positiveDataAcceptance,
  missing_required_header: missingRequiredHeader,
  unsupported_method: unsupportedMethod,
  unknown_parent_resource: unknownParentResource,
  use_after_free: useAfterFree,
  idempotency,
  object_level_authorization: objectLevelAuthorization,
  per_item_results: perItemResults,
};

/** The checks that delete documents go first, so that they get the documents given before any is spent elsewhere. */
export const RUN_ORDER: BehaviourCheck[] = [
  'use_after_free',
  'idempotency',
  'object_level_authorization',
  'per_item_results',
  'unknown_parent_resource',
  'ignored_auth',
  'negative_data_rejection',
  'positive_data_acceptance',
  'missing_required_header',
  'unsupported_method',
];
