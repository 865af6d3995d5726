/**
 * One API, served: its OpenAPIBackend, its store, and the request pipeline.
 *
 * openapi-backend is the engine that owns the API: it loads the (generated, dereferenced) definition, lists its
 * operations and keeps the registry of operation handlers and security handlers, refusing (strict mode) an
 * operationId or scheme the spec lacks. tombstone runs the request itself, in openapi-backend's order (route →
 * security → post-security hook → validation → handler → post-response hook), because the hot path is measured
 * (README, Performance): routing from a table built once (router.ts) instead of a RegExp per template per
 * request, validation by the standalone validators `npm run generate` compiles instead of ajv per instance, and
 * each step synchronous unless a handler returns a promise (awaitable.ts). The operations and their security
 * requirements come from src/openapi/model.ts. https://github.com/openapistack/openapi-backend#handlers
 */
import type { DataValidationCxt } from 'ajv/dist/types/index.js';
import { type Handler as BackendHandler, OpenAPIBackend } from 'openapi-backend';
import type { OpenAPIV3 } from 'openapi-types';
import { TombstoneError } from '../errors.js';
import { mockBasePath, type OperationModel, operations, type SecurityRequirements } from '../openapi/model.js';
import { type Awaitable, isThenable } from './awaitable.js';
import { failureDetail, failureResponse, renderError } from './catalog.js';
import { Chaos, type ChaosProfile } from './chaos.js';
import type { Clock } from './clock.js';
import type { ChaosDecision, RequestReason } from './journal.js';
import { mockError } from './mockErrors.js';
import { type Preference, parsePrefer, preferredResponse } from './prefer.js';
import { RouteTable } from './router.js';
import type {
  AnyTypes,
  AnyVariant,
  Api,
  ApiTypes,
  Ctx,
  Handler,
  MockRequest,
  MockResponse,
  OperationTypes,
  OperationValidators,
  PipelineFailure,
  Req,
  SecurityHandler,
} from './types.js';
import { describeError, type RequestPart } from './validation.js';

/** A response from the mock layer itself (openapi/mock-admin.yaml, x-mock-layer), not from the API. */
export class MockLayerResponse {
  constructor(readonly response: MockResponse) {}
}

/** The API's OpenAPIBackend, its handlers registered. */
async function backendFor(api: Api<AnyTypes>): Promise<OpenAPIBackend> {
  // quick: the definition is already bundled and dereferenced by `npm run generate`; validate: false, since the
  // generated standalone validators replace openapi-backend's per-instance ajv compilation.
  const definition = api.definition as never;
  const backend = new OpenAPIBackend({ definition, quick: true, validate: false, strict: true });
  await backend.init();
  // Registering after init lets strict mode refuse an operationId or scheme the spec lacks. The registry holds
  // tombstone's handler shape, (req, ctx), which the pipeline below calls: openapi-backend never calls them.
  for (const [id, handler] of Object.entries(api.handlers)) backend.register(id, handler as unknown as BackendHandler);
  for (const [scheme, handler] of Object.entries(api.security ?? {})) {
    backend.registerSecurityHandler(scheme, handler as unknown as BackendHandler);
  }
  return backend;
}

export class Runtime<T extends ApiTypes = AnyTypes> {
  store: T['store'];
  /** The chaos profile in force (`PUT /_mock/chaos/{variant}`, `--chaos`); never on the control API. */
  chaos: Chaos | undefined;
  private readonly routes: RouteTable;
  /** By operationId, the request media types its body may have (lower case), when it has a body. */
  private readonly mediaTypes = new Map<string, ReadonlySet<string>>();
  private readonly error: Ctx<T>['error'];
  /** openapi-backend's registries, holding the handlers backendFor registered. */
  private readonly handlers: Record<string, Handler<T, OperationTypes> | undefined>;
  private readonly securityHandlers: Record<string, SecurityHandler<T> | undefined>;

  /** @internal Runtime.create builds one. (Internal: the package's declarations leave openapi-backend out.) */
  constructor(
    readonly api: Api<T>,
    /** The seed every reset goes back to, frozen. */
    readonly seed: unknown,
    readonly clock: Clock,
    /** @internal */ readonly backend: OpenAPIBackend,
    /** The store shared with other processes, instead of one made from the seed in this one. */
    private readonly shared?: T['store'] & { reset(): Promise<void> },
  ) {
    this.store = shared ?? api.createStore(seed as never, clock);
    this.handlers = backend.handlers as unknown as Runtime<T>['handlers'];
    this.securityHandlers = backend.securityHandlers as unknown as Runtime<T>['securityHandlers'];
    const ops = operations(api.definition);
    for (const op of ops) {
      this.checkImplemented(op);
      if (op.mediaTypes.length > 0) this.mediaTypes.set(op.id, new Set(op.mediaTypes.map((t) => t.toLowerCase())));
    }
    this.routes = new RouteTable(ops, mockBasePath(api.definition));
    this.error = (code, detail) => renderError(api, code, detail);
  }

  static async create<T extends ApiTypes>(api: Api<T>, seed: unknown, clock: Clock): Promise<Runtime<T>> {
    return new Runtime(api, deepFreeze(seed), clock, await backendFor(api));
  }

  /** An operation of the spec with no handler, or a scheme with no security handler, is the variant's to add. */
  private checkImplemented(op: OperationModel): void {
    const folder = `src/variants/${this.api.name}`;
    if (!this.handlers[op.id]) {
      throw new TombstoneError(
        `Operation ${op.id} (${op.method.toUpperCase()} ${op.path}) of openapi/${this.api.name}.yaml has no handler. ` +
          `Create ${folder}/${op.id}.ts exporting ${op.id} and add it to the handlers in ${folder}/index.ts.`,
      );
    }
    for (const scheme of op.security.schemes) {
      if (this.securityHandlers[scheme]) continue;
      throw new TombstoneError(
        `Security scheme ${scheme} (operation ${op.id}) of openapi/${this.api.name}.yaml has no security handler. ` +
          `Add ${scheme} to the security handlers in ${folder}/index.ts.`,
      );
    }
  }

  /**
   * Every store is made from the one seed, frozen at start: a store keeps seed objects but never changes them. A
   * shared store resets itself (for every process sharing it).
   */
  reset(): Awaitable<void> {
    if (this.shared) return this.shared.reset();
    this.store = this.api.createStore(this.seed as never, this.clock);
  }

  /** The methods `path` has (HEAD wherever GET), or undefined when no route has it: a CORS preflight's answer. */
  methodsAt(path: string): string[] | undefined {
    return this.routes.methodsAt(path);
  }

  /**
   * Every response the API sends passes through here, so `decorate` sees them all. Synchronous unless a handler
   * returns a promise or a delay is asked for: an async step per stage would cost a promise and a microtask each
   * on every request. A delay (`Prefer: delay=`, else the chaos profile's) holds every answer, early ones too.
   */
  handle(raw: MockRequest): Awaitable<MockResponse | MockLayerResponse> {
    // Every field the pipeline sets is there from the start, so each object keeps one shape.
    const req: Req = { params: EMPTY, query: EMPTY, headers: raw.headers, body: undefined, raw };
    const ctx: Ctx<T> = {
      store: this.store,
      principal: undefined,
      locals: this.api.locals?.(),
      clock: this.clock,
      error: this.error,
    };
    const preference = parsePrefer(raw.headers['prefer']);
    const res = this.pipeline(req, ctx, preference);
    const delayMs = raw.delayMs ?? preference?.delayMs;
    if (!delayMs) return isThenable(res) ? res.then((r) => this.finish(ctx, r)) : this.finish(ctx, res);
    // Latency injection: the answer, a replay record included, is final only once the delay is over.
    return new Promise<MockResponse | MockLayerResponse>((resolve) => setTimeout(resolve, delayMs)).then(() =>
      Promise.resolve(res).then((r) => this.finish(ctx, r)),
    );
  }

  /**
   * The answer made final: the `responded` hook (LeadLex stores idempotent replays), then `decorate`. An injected
   * answer keeps only the headers its status documents: `decorate` adds what the API's checks found (LeadLex's
   * rate-limit window), which an early status such as a 413 does not carry.
   */
  private finish(ctx: Ctx<T>, res: MockResponse | MockLayerResponse): Awaitable<MockResponse | MockLayerResponse> {
    if (res instanceof MockLayerResponse) return res;
    // A shared store writes the replay record before the answer is sent.
    const done = this.api.responded?.(ctx, res);
    return isThenable(done) ? done.then(() => this.decorated(ctx, res)) : this.decorated(ctx, res);
  }

  private decorated(ctx: Ctx<T>, res: MockResponse): MockResponse {
    const out = this.decorate(ctx, res) as MockResponse;
    const documented = INJECTED.get(res);
    if (documented && out.headers) {
      for (const name of Object.keys(out.headers)) if (!documented.has(name.toLowerCase())) delete out.headers[name];
    }
    return out;
  }

  /**
   * The answer as a response the caller owns and may add headers to (MockApp adds CORS's): `decorate` makes a new
   * one; without it, a copy, since handlers may answer with objects they keep (stored replays, examples).
   */
  private decorate(ctx: Ctx<T>, res: MockResponse | MockLayerResponse): MockResponse | MockLayerResponse {
    if (res instanceof MockLayerResponse) return res;
    if (this.api.decorate) return this.api.decorate(ctx, res);
    return { status: res.status, headers: Object.assign({}, res.headers), body: res.body };
  }

  private fail(req: Req, failure: PipelineFailure, reason?: string): MockResponse {
    const { note } = req.raw;
    if (note) note.reason = { kind: REASONS[failure.kind], message: reason ?? failureDetail(failure, req.raw) ?? '' };
    return failureResponse(this.api, failure, req.raw);
  }

  private rejected(req: Req, reason: RequestReason): void {
    if (req.raw.note) req.raw.note.reason = reason;
  }

  // The steps below return a value when they can and a promise when a handler does; each step after one that may
  // be asynchronous is a method, so the synchronous path allocates no closure.

  /**
   * Route, body, credentials, the request's own `Prefer` (the documented answer it names, touching no state), the
   * API's own checks (LeadLex's rate limit), the chaos profile's draw, validation and the handler. Credentials come
   * before `Prefer`, as in Prism: a client that forgot its key gets the 401 whatever it asked for.
   */
  private pipeline(
    req: Req,
    ctx: Ctx<T>,
    preference: Preference | undefined,
  ): Awaitable<MockResponse | MockLayerResponse> {
    const { raw } = req;
    if (raw.bodyTooLarge) return this.fail(req, { kind: 'payloadTooLarge', limit: BODY_LIMIT_BYTES });
    const match = this.routes.match(raw.method, raw.path);
    if (match.kind === 'notFound')
      return this.fail(req, { kind: 'routeNotFound' }, `no ${this.api.name} route has ${raw.path}`);
    if (match.kind === 'methodNotAllowed') return this.fail(req, { kind: 'methodNotAllowed', allow: match.allow });
    const { operation } = match;
    if (raw.note) raw.note.operationId = operation.id;
    req.params = match.params;
    if (raw.query) req.query = parseQuery(raw.query);
    const forced = this.api.honoursPrefer && Boolean(preference?.code || preference?.example);
    const chaos = this.chaos?.decide(operation.id, { forced, delayMs: preference?.delayMs });
    if (chaos) {
      raw.delayMs = chaos.delayMs;
      if (raw.note) raw.note.chaos = chaos;
    }

    const mediaTypes = this.mediaTypes.get(operation.id);
    if (mediaTypes) {
      const parsed = parseJsonBody(raw, mediaTypes);
      if (parsed === UNSUPPORTED_MEDIA_TYPE) {
        const sent = raw.headers['content-type'] ?? 'none';
        return this.fail(
          req,
          { kind: 'unsupportedMediaType' },
          `Content-Type ${sent}; accepted: ${[...mediaTypes].join(', ')}`,
        );
      }
      if (parsed === INVALID_JSON) return this.fail(req, { kind: 'invalidJson' }, 'the body is not valid JSON');
      req.body = parsed as undefined;
    }

    const allowed = this.authorize(req, ctx, operation.security);
    if (isThenable(allowed))
      return allowed.then((ok) => this.secured(req, ctx, operation, forced, preference, chaos, ok));
    return this.secured(req, ctx, operation, forced, preference, chaos, allowed);
  }

  private secured(
    req: Req,
    ctx: Ctx<T>,
    operation: OperationModel,
    forced: boolean,
    preference: Preference | undefined,
    chaos: ChaosDecision | undefined,
    allowed: boolean,
  ): Awaitable<MockResponse | MockLayerResponse> {
    if (!allowed) {
      const schemes = operation.security.sets.map((set) => set.join(' + ')).join(' or ');
      return this.fail(req, { kind: 'unauthorized' }, `no valid credentials for ${schemes}`);
    }
    if (forced) return this.forced(req, operation, preference!);
    // `req` is routed to one of the API's operations, as the hook's type says.
    const early = this.api.authorized?.(req as never, ctx);
    if (isThenable(early)) return early.then((e) => this.checked(req, ctx, operation, chaos, e));
    return this.checked(req, ctx, operation, chaos, early);
  }

  /** After the API's own checks (`early`: their answer, if they stopped the request): chaos, validation, handler. */
  private checked(
    req: Req,
    ctx: Ctx<T>,
    operation: OperationModel,
    chaos: ChaosDecision | undefined,
    early: MockResponse | undefined,
  ): Awaitable<MockResponse | MockLayerResponse> {
    if (early) {
      this.rejected(req, { kind: 'policy', message: `${this.api.name} answered ${early.status} before the handler` });
      return early;
    }
    // After the API's own checks, so an injected answer carries what they found (LeadLex's rate-limit window).
    if (chaos?.reset) {
      this.rejected(req, { kind: 'chaos', message: `connection dropped (chaos, seed ${this.chaos!.profile.seed})` });
      return new MockLayerResponse({ status: 0, drop: true });
    }
    if (chaos?.status) {
      this.rejected(req, {
        kind: 'chaos',
        message: `injected ${chaos.status} (chaos, seed ${this.chaos!.profile.seed})`,
      });
      const injected = preferredResponse(operation.object, { code: String(chaos.status) }) as MockResponse;
      const { headers } = operation.responses[String(chaos.status)] as OpenAPIV3.ResponseObject;
      INJECTED.set(injected, new Set(Object.keys(headers ?? {}).map((name) => name.toLowerCase())));
      return injected;
    }
    const invalid = validate(this.api.validators[operation.id] as OperationValidators, req);
    if (invalid) return this.fail(req, { kind: 'invalidRequest', message: invalid });
    return this.handlers[operation.id]!(req, ctx);
  }

  /** `Prefer: code=` / `example=`: the documented response it names, from the spec alone. */
  private forced(req: Req, operation: OperationModel, preference: Preference): MockResponse | MockLayerResponse {
    const forced = preferredResponse(operation.object, preference);
    if ('unsatisfiable' in forced) {
      this.rejected(req, { kind: 'prefer_unsatisfiable', message: forced.unsatisfiable });
      return new MockLayerResponse(mockError('prefer_unsatisfiable', `${this.api.name} ${forced.unsatisfiable}`));
    }
    this.rejected(req, { kind: 'prefer', message: `Prefer: ${req.raw.headers['prefer']}` });
    return forced;
  }

  /**
   * OpenAPI security: any one requirement set satisfied, each set needing all its schemes (OpenAPI 3.0.3,
   * Security Requirement Object). Every scheme's handler runs, as in openapi-backend; the principal is what the
   * first scheme of the satisfied set returned. Security handlers look a credential up: synchronously in memory,
   * with a promise in a shared store.
   */
  private authorize(req: Req, ctx: Ctx<T>, { sets, schemes, anonymous }: SecurityRequirements): Awaitable<boolean> {
    if (schemes.length === 0) return true;
    const handlers = this.securityHandlers;
    // One scheme (most operations): no results object.
    if (schemes.length === 1) {
      const principal = handlers[schemes[0]!]!(req, ctx.store);
      if (isThenable(principal)) {
        return principal.then((p) => {
          ctx.principal = p;
          return anonymous || p !== undefined;
        });
      }
      ctx.principal = principal;
      return anonymous || principal !== undefined;
    }
    const results: Record<string, T['principal'] | undefined> = {};
    const pending: PromiseLike<unknown>[] = [];
    for (const scheme of schemes) {
      const principal = handlers[scheme]!(req, ctx.store);
      if (isThenable(principal)) pending.push(principal.then((p) => (results[scheme] = p)));
      else results[scheme] = principal;
    }
    const satisfy = (): boolean => {
      const satisfied = sets.find((set) => set.every((scheme) => results[scheme] !== undefined));
      if (satisfied) ctx.principal = results[satisfied[0]!];
      return anonymous || satisfied !== undefined;
    };
    return pending.length > 0 ? Promise.all(pending).then(satisfy) : satisfy();
  }
}

/** A vendor variant's runtime: its store also reads as a seed and takes more of one. */
export class VariantRuntime extends Runtime<AnyTypes> {
  declare readonly api: AnyVariant;
  /** The chaos profile given at start (`--chaos`), in force again after every reset. */
  chaosAtStart: ChaosProfile | undefined;

  /** `shared`: the variant's store shared with other processes, instead of one made from `seed` here. */
  static override async create(
    variant: AnyVariant,
    seed: unknown,
    clock: Clock,
    shared?: AnyTypes,
  ): Promise<VariantRuntime> {
    return new VariantRuntime(variant, deepFreeze(seed), clock, await backendFor(variant), shared);
  }

  get variant(): AnyVariant {
    return this.api;
  }

  /** The seed state again, and the chaos profile given at start (profiles set since are removed). */
  override reset(): Awaitable<void> {
    this.startChaos(this.chaosAtStart);
    return super.reset();
  }

  /** Puts `profile` in force, now and after every reset. */
  startChaos(profile: ChaosProfile | undefined): void {
    this.chaosAtStart = profile;
    this.chaos = profile && new Chaos(this.api.definition, profile);
  }

  /** The state in its seed shape, after any due time-driven change. */
  snapshot(): Awaitable<unknown> {
    const ticked = this.tick();
    return isThenable(ticked) ? ticked.then(() => this.store.snapshot()) : this.store.snapshot();
  }

  tick(): Awaitable<void> {
    return this.store.tick?.();
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

/**
 * Read-only stand-in for the request parts a request does not have (no parameters before routing, no query
 * string): the validators only write to (coerce) properties that are present.
 */
const EMPTY: Readonly<Record<string, never>> = Object.freeze(Object.create(null));

/**
 * What the generated validators are called with: their destructuring default (`= {}`) would make an object on
 * every call. `rootData` is left out, so it defaults to the data being validated.
 */
const TOP_LEVEL = Object.freeze({ instancePath: '' }) as DataValidationCxt;

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Answers a chaos profile injected, with the header names (lower case) their status documents. */
const INJECTED = new WeakMap<MockResponse, ReadonlySet<string>>();

/** The journal's reason for each pipeline failure (openapi/mock-admin.yaml, RequestReason). */
const REASONS: Record<PipelineFailure['kind'], RequestReason['kind']> = {
  routeNotFound: 'route_not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  invalidJson: 'invalid_json',
  unauthorized: 'unauthorized',
  invalidRequest: 'invalid_request',
};

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

/** The body, parsed as JSON when its media type is one the operation documents (Velt's 415 says application/json). */
function parseJsonBody(raw: MockRequest, mediaTypes: ReadonlySet<string>): unknown {
  const type = raw.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type === undefined || !mediaTypes.has(type)) return UNSUPPORTED_MEDIA_TYPE;
  try {
    return JSON.parse(raw.body ?? '');
  } catch {
    return INVALID_JSON;
  }
}

/** Each request part, in validation order, and where it lives in the request. */
const REQUEST_PARTS: [RequestPart, 'params' | 'query' | 'headers' | 'body'][] = [
  ['path', 'params'],
  ['query', 'query'],
  ['headers', 'headers'],
  ['body', 'body'],
];

/** Runs the generated validators over each request part; the first failure's message, or undefined. */
function validate(validators: OperationValidators, req: Req): string | undefined {
  for (const [part, field] of REQUEST_PARTS) {
    const validator = validators.request[part];
    if (validator && !validator(req[field], TOP_LEVEL)) return describeError(part, validator.errors);
  }
  return undefined;
}
