/**
 * One variant, served: its OpenAPIBackend (definition, handler and security-handler registry), its route table,
 * its store, and the request pipeline. The pipeline follows openapi-backend's `handleRequest` step for step
 * (route → security → postSecurityHandler → validation → operation handler → postResponseHandler) but routes
 * from a table built once and validates with the generated standalone validators, so nothing is derived or
 * compiled per request. https://github.com/openapistack/openapi-backend#handlers
 */
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import type { OpenAPIV3 } from 'openapi-types';
import type { Clock } from './clock.js';
import { mockError } from './mockErrors.js';
import { parsePrefer, preferredResponse } from './prefer.js';
import { RouteTable } from './router.js';
import type { Context, Handler, MockRequest, MockResponse, OperationValidators, PipelineFailure, SecurityHandler, ApiModule } from './types.js';
import { describeError, type RequestPart } from './validation.js';

/** A response from the mock layer itself (openapi/mock-admin.yaml, x-mock-layer), not from the variant. */
export class MockLayerResponse {
  constructor(readonly response: MockResponse) {}
}

export class VariantRuntime<Store = unknown> {
  readonly api: OpenAPIBackend;
  readonly state: { store: Store };
  private readonly routes: RouteTable;
  /** Per operation: its security requirement sets, and the schemes they name, once each. */
  private readonly security = new Map<string, { sets: string[][]; schemes: string[]; anonymous: boolean }>();

  private constructor(
    readonly module: ApiModule<Store>,
    private readonly seed: unknown,
    readonly clock: Clock,
    api: OpenAPIBackend,
  ) {
    this.api = api;
    this.state = { store: module.createStore(structuredClone(seed), clock) };
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
    return new VariantRuntime(module, seed, clock, api);
  }

  reset(): void {
    this.state.store = this.module.createStore(structuredClone(this.seed), this.clock);
  }

  /** Every response the variant sends passes through here, so `decorate` sees them all. */
  async handle(raw: MockRequest): Promise<MockResponse | MockLayerResponse> {
    const ctx = this.context(raw);
    const res = await this.pipeline(ctx);
    if (res instanceof MockLayerResponse) return res;
    return this.module.decorate ? this.module.decorate(ctx, res) : res;
  }

  private context(raw: MockRequest): Context {
    return {
      api: this.api,
      raw,
      locals: {},
      request: { method: raw.method.toLowerCase(), path: raw.path, headers: raw.headers, query: {}, params: {}, cookies: {}, requestBody: undefined },
    } as unknown as Context;
  }

  private async pipeline(ctx: Context): Promise<MockResponse | MockLayerResponse> {
    const { raw } = ctx;
    const fail = (failure: PipelineFailure) => this.module.failure(failure, ctx);
    if (raw.bodyTooLarge) return fail({ kind: 'payloadTooLarge', limit: BODY_LIMIT_BYTES });
    const match = this.routes.match(raw.method, raw.path);
    if (match.kind === 'notFound') return fail({ kind: 'routeNotFound' });
    if (match.kind === 'methodNotAllowed') return fail({ kind: 'methodNotAllowed', allow: match.allow });
    const operation = match.operation;
    ctx.operation = operation;
    ctx.request.params = match.params;
    ctx.request.query = parseQuery(raw.query);

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
      if (parsed === UNSUPPORTED_MEDIA_TYPE) return fail({ kind: 'unsupportedMediaType' });
      if (parsed === INVALID_JSON) return fail({ kind: 'invalidJson' });
      ctx.request.requestBody = parsed;
    }

    // Hooks and handlers may return promises but mostly do not; awaiting only the thenables spares a microtask
    // and its allocations per step.
    if (!(await this.authorize(ctx, operation))) return fail({ kind: 'unauthorized' });
    const postSecurity = this.api.handlers['postSecurityHandler'] as Handler | undefined;
    let early = postSecurity?.(ctx);
    if (isThenable(early)) early = await early;
    if (early) return early;

    const invalid = validate(validators, ctx);
    if (invalid) return fail({ kind: 'invalidRequest', message: invalid });

    const handler = this.api.handlers[operation.operationId!] as Handler;
    let res = handler(ctx);
    if (isThenable(res)) res = await res;
    if (preference?.delayMs) await new Promise((resolve) => setTimeout(resolve, preference.delayMs));
    const postResponse = this.api.handlers['postResponseHandler'] as ((ctx: Context, res: MockResponse) => void) | undefined;
    postResponse?.(ctx, res);
    return res;
  }

  /**
   * OpenAPI security: any one requirement set satisfied, each set needing all its schemes (OpenAPI 3.0.3,
   * Security Requirement Object). Results land in `ctx.security`, as with openapi-backend.
   */
  private async authorize(ctx: Context, operation: Operation): Promise<boolean> {
    const { sets, schemes, anonymous } = this.security.get(operation.operationId!)!;
    const results: Record<string, unknown> = {};
    for (const scheme of schemes) {
      const handler = this.api.securityHandlers[scheme] as SecurityHandler | undefined;
      let result = handler?.(ctx);
      if (isThenable(result)) result = await result;
      results[scheme] = result;
    }
    const authorized = anonymous || sets.length === 0 || sets.some((set) => set.every((scheme) => Boolean(results[scheme])));
    results['authorized'] = authorized;
    ctx.security = results as Context['security'];
    return authorized;
  }
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** What `await` would wait for. */
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/** The path of the spec's tombstone server entry (`http://localhost:4010/<variant>/...`) below its mount point. */
export function mockBasePath(definition: OpenAPIV3.Document): string {
  const server = definition.servers?.find((s) => s.url === 'http://localhost:4010' || s.url.startsWith('http://localhost:4010/'));
  if (!server) throw new Error(`${definition.info.title}: no http://localhost:4010/<variant> server entry`);
  return new URL(server.url).pathname.split('/').slice(2).map((s) => `/${s}`).join('').replace(/\/$/, '');
}

function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  if (!query) return out;
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
    if (validator && !validator(ctx.request[field])) return describeError(part, validator.errors);
  }
  return undefined;
}
