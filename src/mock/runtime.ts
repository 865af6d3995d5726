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
import { OpenAPIBackend, type Handler as BackendHandler } from 'openapi-backend';
import { TombstoneError } from '../errors.js';
import { mockBasePath, operations, type OperationModel, type SecurityRequirements } from '../openapi/model.js';
import { isThenable, type Awaitable } from './awaitable.js';
import { failureResponse, renderError } from './catalog.js';
import type { Chaos } from './chaos.js';
import type { Clock } from './clock.js';
import { mockError } from './mockErrors.js';
import { parsePrefer, preferredResponse, type Preference } from './prefer.js';
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
  /** The chaos profile set for the API (`PUT /_mock/chaos/{variant}`). */
  chaos: Chaos | undefined;
  private readonly routes: RouteTable;
  private readonly error: Ctx<T>['error'];
  /** openapi-backend's registries, holding the handlers backendFor registered. */
  private readonly handlers: Record<string, Handler<T, OperationTypes> | undefined>;
  private readonly securityHandlers: Record<string, SecurityHandler<T> | undefined>;

  constructor(
    readonly api: Api<T>,
    private readonly seed: unknown,
    readonly clock: Clock,
    readonly backend: OpenAPIBackend,
  ) {
    this.store = api.createStore(seed as never, clock);
    this.handlers = backend.handlers as unknown as Runtime<T>['handlers'];
    this.securityHandlers = backend.securityHandlers as unknown as Runtime<T>['securityHandlers'];
    const ops = operations(api.definition);
    for (const op of ops) this.checkImplemented(op);
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

  /** Every store is made from the one seed, frozen at start: a store keeps seed objects but never changes them. */
  reset(): void {
    this.store = this.api.createStore(this.seed as never, this.clock);
  }

  /**
   * Every response the API sends passes through here, so `decorate` sees them all. Synchronous unless a handler
   * returns a promise or a delay is asked for: an async step per stage would cost a promise and a microtask each
   * on every request.
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
    const res = this.pipeline(req, ctx);
    return isThenable(res) ? res.then((r) => this.decorate(ctx, r)) : this.decorate(ctx, res);
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

  private fail(req: Req, failure: PipelineFailure): MockResponse {
    return failureResponse(this.api, failure, req.raw);
  }

  // The steps below return a value when they can and a promise when a handler does; each step after one that may
  // be asynchronous is a method, so the synchronous path allocates no closure.

  private pipeline(req: Req, ctx: Ctx<T>): Awaitable<MockResponse | MockLayerResponse> {
    const { raw } = req;
    if (raw.bodyTooLarge) return this.fail(req, { kind: 'payloadTooLarge', limit: BODY_LIMIT_BYTES });
    const match = this.routes.match(raw.method, raw.path);
    if (match.kind === 'notFound') return this.fail(req, { kind: 'routeNotFound' });
    if (match.kind === 'methodNotAllowed') return this.fail(req, { kind: 'methodNotAllowed', allow: match.allow });
    const { operation } = match;
    req.params = match.params;
    if (raw.query) req.query = parseQuery(raw.query);

    const preference = parsePrefer(raw.headers['prefer']);
    if (this.api.honoursPrefer && (preference?.code || preference?.example)) {
      const forced = preferredResponse(operation.object, preference);
      if ('unsatisfiable' in forced) {
        return new MockLayerResponse(mockError('prefer_unsatisfiable', `${this.api.name} ${forced.unsatisfiable}`));
      }
      return forced;
    }

    const validators = this.api.validators[operation.id] as OperationValidators;
    if (validators.request.body) {
      const parsed = parseJsonBody(raw);
      if (parsed === UNSUPPORTED_MEDIA_TYPE) return this.fail(req, { kind: 'unsupportedMediaType' });
      if (parsed === INVALID_JSON) return this.fail(req, { kind: 'invalidJson' });
      req.body = parsed as undefined;
    }

    if (!this.authorize(req, ctx, operation.security)) return this.fail(req, { kind: 'unauthorized' });
    // `req` is routed to one of the API's operations, as the hook's type says.
    const early = this.api.authorized?.(req as never, ctx);
    if (early) return early;
    const invalid = validate(validators, req);
    if (invalid) return this.fail(req, { kind: 'invalidRequest', message: invalid });
    const res = this.handlers[operation.id]!(req, ctx);
    return isThenable(res) ? res.then((r) => this.handled(ctx, preference, r)) : this.handled(ctx, preference, res);
  }

  private handled(ctx: Ctx<T>, preference: Preference | undefined, res: MockResponse): Awaitable<MockResponse> {
    if (!preference?.delayMs) {
      this.api.responded?.(ctx, res);
      return res;
    }
    // Latency injection: the response, its replay record included, is final only once the delay is over.
    return new Promise((resolve) =>
      setTimeout(() => {
        this.api.responded?.(ctx, res);
        resolve(res);
      }, preference.delayMs),
    );
  }

  /**
   * OpenAPI security: any one requirement set satisfied, each set needing all its schemes (OpenAPI 3.0.3,
   * Security Requirement Object). Every scheme's handler runs, as in openapi-backend; the principal is what the
   * first scheme of the satisfied set returned. Security handlers are synchronous: they look a credential up.
   */
  private authorize(req: Req, ctx: Ctx<T>, { sets, schemes, anonymous }: SecurityRequirements): boolean {
    if (schemes.length === 0) return true;
    const handlers = this.securityHandlers;
    // One scheme (most operations): no results object.
    if (schemes.length === 1) {
      ctx.principal = handlers[schemes[0]!]!(req, ctx.store);
      return anonymous || ctx.principal !== undefined;
    }
    const results: Record<string, T['principal'] | undefined> = {};
    for (const scheme of schemes) results[scheme] = handlers[scheme]!(req, ctx.store);
    const satisfied = sets.find((set) => set.every((scheme) => results[scheme] !== undefined));
    if (satisfied) ctx.principal = results[satisfied[0]!];
    return anonymous || satisfied !== undefined;
  }
}

/** A vendor variant's runtime: its store also reads as a seed and takes more of one. */
export class VariantRuntime extends Runtime<AnyTypes> {
  declare readonly api: AnyVariant;

  static override async create(variant: AnyVariant, seed: unknown, clock: Clock): Promise<VariantRuntime> {
    return new VariantRuntime(variant, deepFreeze(seed), clock, await backendFor(variant));
  }

  get variant(): AnyVariant {
    return this.api;
  }

  /** The state in its seed shape, after any due time-driven change. */
  snapshot(): unknown {
    this.tick();
    return this.store.snapshot();
  }

  tick(): void {
    this.store.tick?.();
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
