/**
 * One variant, served: its OpenAPIBackend (definition, handler and security-handler registry), its route table,
 * its store, and the request pipeline. The pipeline follows openapi-backend's `handleRequest` step for step
 * (route → security → postSecurityHandler → validation → operation handler → postResponseHandler) but routes
 * from a table built once and validates with the generated standalone validators, so nothing is derived or
 * compiled per request. https://github.com/openapistack/openapi-backend#handlers
 */
import type { DataValidationCxt } from 'ajv/dist/types/index.js';
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import type { OpenAPIV3 } from 'openapi-types';
import { isThenable, type Awaitable } from './awaitable.js';
import type { Clock } from './clock.js';
import { mockError } from './mockErrors.js';
import { parsePrefer, preferredResponse, type Preference } from './prefer.js';
import { RouteTable } from './router.js';
import type { Context, Handler, MockRequest, MockResponse, OperationValidators, PipelineFailure, SecurityHandler, ApiModule } from './types.js';
import { describeError, type RequestPart } from './validation.js';
import { mockBasePath } from '../openapi/model.js';

/** A response from the mock layer itself (openapi/mock-admin.yaml, x-mock-layer), not from the variant. */
export class MockLayerResponse {
  constructor(readonly response: MockResponse) {}
}

/** An operation's security requirement sets, and the schemes they name, once each. */
interface OperationSecurity {
  sets: string[][];
  schemes: string[];
  anonymous: boolean;
}

export class VariantRuntime<Store = unknown> {
  readonly api: OpenAPIBackend;
  readonly state: { store: Store };
  private readonly routes: RouteTable;
  private readonly security = new Map<string, OperationSecurity>();

  private constructor(
    readonly module: ApiModule<Store>,
    private readonly seed: unknown,
    readonly clock: Clock,
    api: OpenAPIBackend,
  ) {
    this.api = api;
    this.state = { store: module.createStore(seed, clock) };
    // Registering after init lets openapi-backend's strict mode refuse an operationId or scheme the spec lacks.
    module.register(this.api, this.state);
    // getOperations() re-derives every operation on each call: once here is enough.
    const operations = this.api.router.getOperations();
    this.routes = new RouteTable(operations, mockBasePath(module.definition));
    for (const operation of operations) {
      const requirements = (operation.security ?? []).map((requirement) => Object.keys(requirement));
      const sets = requirements.filter((s) => s.length > 0);
      this.security.set(operation.operationId!, { sets, schemes: [...new Set(sets.flat())], anonymous: requirements.some((s) => s.length === 0) });
      if (!this.api.handlers[operation.operationId!]) {
        throw new Error(`${module.name}: no handler registered for operation ${operation.operationId}`);
      }
    }
  }

  static async create<Store>(module: ApiModule<Store>, seed: unknown, clock: Clock): Promise<VariantRuntime<Store>> {
    // quick: the definition is already bundled and dereferenced by `npm run generate`; validate: false, since the
    // generated standalone validators replace openapi-backend's per-instance ajv compilation.
    const api = new OpenAPIBackend({ definition: module.definition as never, quick: true, validate: false, strict: true });
    await api.init();
    return new VariantRuntime(module, deepFreeze(seed), clock, api);
  }

  /** Every store is made from the one seed, frozen at start: a store keeps seed objects but never changes them. */
  reset(): void {
    this.state.store = this.module.createStore(this.seed, this.clock);
  }

  /**
   * Every response the variant sends passes through here, so `decorate` sees them all. Synchronous unless a hook
   * or handler returns a promise or a delay is asked for: an async step per stage would cost a promise and a
   * microtask each on every request.
   */
  handle(raw: MockRequest): Awaitable<MockResponse | MockLayerResponse> {
    const ctx = this.context(raw);
    const res = this.pipeline(ctx);
    return isThenable(res) ? res.then((r) => this.decorate(ctx, r)) : this.decorate(ctx, res);
  }

  /**
   * The answer as a response the caller owns and may add headers to (MockApp adds CORS's): `decorate` makes a new
   * one; without it, a copy, since handlers may answer with objects they keep (stored replays, examples).
   */
  private decorate(ctx: Context, res: MockResponse | MockLayerResponse): MockResponse | MockLayerResponse {
    if (res instanceof MockLayerResponse) return res;
    if (this.module.decorate) return this.module.decorate(ctx, res);
    return { status: res.status, headers: Object.assign({}, res.headers), body: res.body };
  }

  private context(raw: MockRequest): Context {
    // Every field the pipeline sets is there from the start, so the object keeps one shape.
    return {
      api: this.api,
      raw,
      locals: {},
      operation: undefined,
      security: undefined,
      request: { method: LOWER_CASE_METHODS.get(raw.method) ?? raw.method.toLowerCase(), path: raw.path, headers: raw.headers, query: EMPTY, params: EMPTY, cookies: EMPTY, requestBody: undefined },
    } as unknown as Context;
  }

  private fail(ctx: Context, failure: PipelineFailure): MockResponse {
    return this.module.failure(failure, ctx);
  }

  // The steps below return a value when they can and a promise when a hook or handler does; each step after one
  // that may be asynchronous is a method, so the synchronous path allocates no closure.

  private pipeline(ctx: Context): Awaitable<MockResponse | MockLayerResponse> {
    const { raw } = ctx;
    if (raw.bodyTooLarge) return this.fail(ctx, { kind: 'payloadTooLarge', limit: BODY_LIMIT_BYTES });
    const match = this.routes.match(raw.method, raw.path);
    if (match.kind === 'notFound') return this.fail(ctx, { kind: 'routeNotFound' });
    if (match.kind === 'methodNotAllowed') return this.fail(ctx, { kind: 'methodNotAllowed', allow: match.allow });
    const operation = match.operation;
    ctx.operation = operation;
    ctx.request.params = match.params;
    if (raw.query) ctx.request.query = parseQuery(raw.query);

    const preference = parsePrefer(raw.headers['prefer']);
    if (this.module.honoursPrefer && (preference?.code || preference?.example)) {
      const forced = preferredResponse(operation as OpenAPIV3.OperationObject, preference);
      if ('unsatisfiable' in forced) {
        return new MockLayerResponse(mockError('prefer_unsatisfiable', `${this.module.name} ${forced.unsatisfiable}`));
      }
      return forced;
    }

    const validators = this.module.validators[operation.operationId!] as OperationValidators;
    if (validators.request.body) {
      const parsed = parseJsonBody(raw);
      if (parsed === UNSUPPORTED_MEDIA_TYPE) return this.fail(ctx, { kind: 'unsupportedMediaType' });
      if (parsed === INVALID_JSON) return this.fail(ctx, { kind: 'invalidJson' });
      ctx.request.requestBody = parsed;
    }

    const authorized = this.authorize(ctx, operation);
    return isThenable(authorized)
      ? authorized.then((ok) => this.authorized(ctx, validators, preference, ok))
      : this.authorized(ctx, validators, preference, authorized);
  }

  private authorized(ctx: Context, validators: OperationValidators, preference: Preference | undefined, ok: boolean): Awaitable<MockResponse> {
    if (!ok) return this.fail(ctx, { kind: 'unauthorized' });
    const postSecurity = this.api.handlers['postSecurityHandler'] as ((ctx: Context) => Awaitable<MockResponse | undefined>) | undefined;
    const early = postSecurity?.(ctx);
    return isThenable(early) ? early.then((e) => this.secured(ctx, validators, preference, e)) : this.secured(ctx, validators, preference, early);
  }

  private secured(ctx: Context, validators: OperationValidators, preference: Preference | undefined, early: MockResponse | undefined): Awaitable<MockResponse> {
    if (early) return early;
    const invalid = validate(validators, ctx);
    if (invalid) return this.fail(ctx, { kind: 'invalidRequest', message: invalid });
    const res = (this.api.handlers[ctx.operation.operationId!] as Handler)(ctx);
    return isThenable(res) ? res.then((r) => this.handled(ctx, preference, r)) : this.handled(ctx, preference, res);
  }

  private handled(ctx: Context, preference: Preference | undefined, res: MockResponse): Awaitable<MockResponse> {
    const postResponse = this.api.handlers['postResponseHandler'] as ((ctx: Context, res: MockResponse) => void) | undefined;
    if (!preference?.delayMs) {
      postResponse?.(ctx, res);
      return res;
    }
    // Latency injection: the response, its replay record included, is final only once the delay is over.
    return new Promise((resolve) =>
      setTimeout(() => {
        postResponse?.(ctx, res);
        resolve(res);
      }, preference.delayMs),
    );
  }

  /**
   * OpenAPI security: any one requirement set satisfied, each set needing all its schemes (OpenAPI 3.0.3,
   * Security Requirement Object). The schemes' handlers run together, as in openapi-backend; the results land in
   * `ctx.security`.
   */
  private authorize(ctx: Context, operation: Operation): Awaitable<boolean> {
    const security = this.security.get(operation.operationId!)!;
    const results: Record<string, unknown> = {};
    let pending: PromiseLike<void>[] | undefined;
    for (const scheme of security.schemes) {
      const value = (this.api.securityHandlers[scheme] as SecurityHandler | undefined)?.(ctx);
      if (isThenable(value)) (pending ??= []).push(value.then((settled) => void (results[scheme] = settled)));
      else results[scheme] = value;
    }
    return pending ? Promise.all(pending).then(() => settle(ctx, security, results)) : settle(ctx, security, results);
  }
}

/**
 * Freezes the seed and everything in it, so that the stores made from it (at start and on each reset) can share
 * its objects instead of each taking a copy: half the memory of a large seed, and no clone on start-up. A store
 * that changed a seed object would throw (ES modules are strict), not quietly change what a reset goes back to.
 */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // for...in would make a string of every index of a large array.
  if (Array.isArray(value)) for (const item of value) deepFreeze(item);
  else for (const item of Object.values(value)) deepFreeze(item);
  return value;
}

/** Whether the security handlers' results, by scheme, satisfy a requirement set; they land in `ctx.security`. */
function settle(ctx: Context, { sets, anonymous }: OperationSecurity, results: Record<string, unknown>): boolean {
  let authorized = anonymous || sets.length === 0;
  for (let i = 0; !authorized && i < sets.length; i++) authorized = sets[i]!.every((scheme) => Boolean(results[scheme]));
  results['authorized'] = authorized;
  ctx.security = results as Context['security'];
  return authorized;
}

/**
 * Read-only stand-in for the request parts a request does not have (no parameters before routing, no query
 * string): the validators only write to (coerce) properties that are present.
 */
const EMPTY: Readonly<Record<string, never>> = Object.freeze(Object.create(null));

/** openapi-backend's lower-case method, without a new string per request (`toLowerCase` makes one). */
const LOWER_CASE_METHODS = new Map(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'].map((m) => [m, m.toLowerCase()]));

/**
 * What the generated validators are called with: their destructuring default (`= {}`) would make an object on
 * every call. `rootData` is left out, so it defaults to the data being validated.
 */
const TOP_LEVEL = Object.freeze({ instancePath: '' }) as DataValidationCxt;

export const BODY_LIMIT_BYTES = 1024 * 1024;

function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

const UNSUPPORTED_MEDIA_TYPE = Symbol('unsupported media type');
const INVALID_JSON = Symbol('invalid JSON');

function parseJsonBody(raw: MockRequest): unknown {
  const type = raw.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && !type?.endsWith('+json')) return UNSUPPORTED_MEDIA_TYPE;
  try {
    return JSON.parse(raw.body ?? '');
  } catch {
    return INVALID_JSON;
  }
}

/** Each request part, in validation order, and where it lives in openapi-backend's parsed request. */
const REQUEST_PARTS: [RequestPart, 'params' | 'query' | 'headers' | 'requestBody'][] = [
  ['path', 'params'],
  ['query', 'query'],
  ['headers', 'headers'],
  ['body', 'requestBody'],
];

/** Runs the generated validators over each request part; the first failure's message, or undefined. */
function validate(validators: OperationValidators, ctx: Context): string | undefined {
  for (const [part, field] of REQUEST_PARTS) {
    const validator = validators.request[part];
    if (validator && !validator(ctx.request[field], TOP_LEVEL)) return describeError(part, validator.errors);
  }
  return undefined;
}
