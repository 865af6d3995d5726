/**
 * The whole mock, independent of any transport: the variants under /<variant> (or one at the root), the control
 * API under /_mock, CORS on every answer. The adapters (adapter/node, adapter/msw) put it on a socket or in MSW.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { TombstoneError } from '../errors.js';
import { documentedResponseHeaders, operations } from '../openapi/model.js';
import { isThenable, type Awaitable } from './awaitable.js';
import { MockClock } from './clock.js';
import { controlApi, type Controller, type DocsProvider } from './control.js';
import { credentialsOf, RequestJournal } from './journal.js';
import { mockError } from './mockErrors.js';
import { MockLayerResponse, Runtime, VariantRuntime } from './runtime.js';
import type { AnyVariant, MockRequest, MockResponse } from './types.js';

export interface MockAppOptions {
  /** The variants to serve, with the (already validated) seed of each. */
  variants: { variant: AnyVariant; seed: unknown }[];
  /** Serve the single variant at the root instead of under /<variant>. */
  atRoot?: boolean;
  clock?: MockClock;
  /** The API reference at /_mock/docs/; without one (the MSW handlers), those routes answer `docs_unavailable`. */
  docs?: DocsProvider;
}

const CONTROL_PREFIX = '/_mock';

export class MockApp {
  readonly runtimes = new Map<string, VariantRuntime>();
  private control!: Runtime;
  private cors!: { exposeHeaders: string; allowMethods: string };

  private constructor(
    readonly clock: MockClock,
    readonly atRoot: boolean,
  ) {}

  static async create(options: MockAppOptions): Promise<MockApp> {
    if (options.atRoot && options.variants.length !== 1) {
      throw new TombstoneError(`only a single variant can be served at the root, not ${options.variants.length}`);
    }
    const app = new MockApp(options.clock ?? new MockClock(), Boolean(options.atRoot));
    for (const { variant, seed } of options.variants) {
      app.runtimes.set(variant.name, await VariantRuntime.create(variant, seed, app.clock));
    }
    const controller: Controller = {
      clock: app.clock,
      journal: new RequestJournal({ credentials: credentialsOf(options.variants.map((v) => v.variant.definition)) }),
      runtimes: app.runtimes,
      atRoot: app.atRoot,
      docs: options.docs,
      resetAll: () => app.resetAll(),
    };
    app.control = await Runtime.create(controlApi(controller), {}, app.clock);
    app.cors = corsHeaders([...options.variants.map((v) => v.variant.definition), app.control.api.definition]);
    return app;
  }

  resetAll(): void {
    this.clock.reset();
    for (const runtime of this.runtimes.values()) runtime.reset();
  }

  /**
   * `raw.path` is the full request path. Synchronous when every step of the answer is (see awaitable.ts). An error
   * thrown by a handler is the mock's fault: a documented 500 (`internal_error`), its stack on stderr.
   */
  handle(raw: MockRequest): Awaitable<MockResponse> {
    if (raw.method === 'OPTIONS') return this.withCors(raw, { status: 204 });
    let res: Awaitable<MockResponse | MockLayerResponse>;
    try {
      res = this.route(raw);
    } catch (err) {
      return this.withCors(raw, internalError(raw, err));
    }
    if (!isThenable(res)) return this.withCors(raw, res);
    return res.then(
      (r) => this.withCors(raw, r),
      (err: unknown) => this.withCors(raw, internalError(raw, err)),
    );
  }

  private route(raw: MockRequest): Awaitable<MockResponse | MockLayerResponse> {
    const { path } = raw;
    // The control API, and the landing page at `/` (no variant has a route there, even served at the root).
    if (path === '/' || path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return this.control.handle(raw);
    if (this.atRoot) return this.runtimes.values().next().value!.handle(raw);
    const slash = path.indexOf('/', 1);
    const runtime = this.runtimes.get(path.slice(1, slash < 0 ? undefined : slash));
    if (runtime) return runtime.handle({ ...raw, path: slash < 0 ? '' : path.slice(slash) });
    const mounts = [...this.runtimes.keys()].map((n) => `/${n}`).join(', ');
    return mockError('route_not_found', `No route ${raw.method} ${path}; variants live under ${mounts}, the control API under /_mock`);
  }

  /**
   * CORS for browsers on another origin. A CORS request carries `Origin` (the Fetch standard sets it on every
   * one), so only those get the caller's origin allowed and the vendors' response headers exposed, and a preflight
   * (OPTIONS) is answered 204 (openapi/mock-admin.yaml, x-mock-layer). Every answer says `Vary: Origin`, so a cache
   * never hands one caller's answer to another. As Go's rs/cors and Starlette's CORSMiddleware do.
   * https://fetch.spec.whatwg.org/#http-cors-protocol
   */
  private withCors(raw: MockRequest, answer: MockResponse | MockLayerResponse): MockResponse {
    // Every response reaching here is this request's own (Runtime.handle, mockError): its headers can be added to
    // in place, where a copy per request would cost an object and a walk over its headers.
    const res = answer instanceof MockLayerResponse ? answer.response : answer;
    const headers = (res.headers ??= {});
    headers['Vary'] = 'Origin';
    const origin = raw.headers['origin'];
    if (origin === undefined) return res;
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Expose-Headers'] = this.cors.exposeHeaders;
    if (raw.method === 'OPTIONS') {
      headers['Access-Control-Allow-Methods'] = this.cors.allowMethods;
      headers['Access-Control-Allow-Headers'] = raw.headers['access-control-request-headers'] ?? '*';
      headers['Access-Control-Max-Age'] = '600';
    }
    return res;
  }
}

/** The documented 500 for an error a handler threw (openapi/mock-admin.yaml, x-mock-layer internalError). */
function internalError(raw: MockRequest, err: unknown): MockResponse {
  console.error(`[tombstone] unexpected error in ${raw.method} ${raw.path}:`, err);
  const reason = err instanceof Error ? err.message : String(err);
  const where = `${raw.method} ${raw.path}`;
  return mockError('internal_error', `${where} failed inside the mock: ${reason}. The mock's log has the stack.`);
}

/** The methods and the response headers CORS must allow and expose: every one any served spec documents. */
function corsHeaders(definitions: OpenAPIV3.Document[]): { exposeHeaders: string; allowMethods: string } {
  const methods = new Set<string>(['OPTIONS']);
  const headers = new Set<string>();
  for (const definition of definitions) {
    for (const op of operations(definition)) methods.add(op.method.toUpperCase());
    for (const name of documentedResponseHeaders(definition)) headers.add(name);
  }
  return { exposeHeaders: [...headers].sort().join(', '), allowMethods: [...methods].sort().join(', ') };
}
