/**
 * The whole mock, independent of any transport: the variants under /<variant> (or one at the root), the control
 * API under /_mock, CORS on every answer. `createHttpServer` (http.ts) puts it on a socket.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { isThenable, type Awaitable } from './core/awaitable.js';
import { MockClock } from './core/clock.js';
import { mockError } from './core/mockErrors.js';
import { MockLayerResponse, VariantRuntime } from './core/runtime.js';
import type { MockRequest, MockResponse, VariantModule } from './core/types.js';
import { controlApi, type Controller } from './control.js';
import type { Chaos } from './mock/chaos.js';
import { credentialsOf, RequestJournal } from './mock/journal.js';

export interface MockAppOptions {
  /** The variants to serve, with the (already validated) seed of each. */
  variants: { module: VariantModule; seed: unknown }[];
  /** Serve the single variant at the root instead of under /<variant>. */
  atRoot?: boolean;
  clock?: MockClock;
  /** Where the API reference served at /_mock/docs/ is built and kept (default docs/reference/, as `npm run docs`). */
  docsDir?: string;
  /** How many requests the journal keeps (default 1,000). */
  journalSize?: number;
}

const CONTROL_PREFIX = '/_mock';

export class MockApp implements Controller {
  readonly runtimes = new Map<string, VariantRuntime>();
  readonly chaos = new Map<string, Chaos>();
  journal!: RequestJournal;
  private control!: VariantRuntime<Controller>;
  private cors!: { exposeHeaders: string; allowMethods: string };

  private constructor(
    readonly clock: MockClock,
    readonly atRoot: boolean,
    readonly docsDir: string | undefined,
  ) {}

  static async create(options: MockAppOptions): Promise<MockApp> {
    if (options.atRoot && options.variants.length !== 1) throw new Error('only a single variant can be served at the root');
    const app = new MockApp(options.clock ?? new MockClock(), Boolean(options.atRoot), options.docsDir);
    for (const { module, seed } of options.variants) {
      app.runtimes.set(module.name, await VariantRuntime.create(module, seed, app.clock));
    }
    app.journal = new RequestJournal({
      ...(options.journalSize === undefined ? {} : { size: options.journalSize }),
      credentials: credentialsOf(options.variants.map((v) => v.module.definition)),
    });
    app.control = await VariantRuntime.create(controlApi(app), {}, app.clock);
    app.cors = corsHeaders([...options.variants.map((v) => v.module.definition), app.control.module.definition]);
    return app;
  }

  resetAll(): void {
    this.clock.reset();
    for (const runtime of this.runtimes.values()) runtime.reset();
  }

  /** `raw.path` is the full request path. Synchronous when every step of the answer is (see core/awaitable.ts). */
  handle(raw: MockRequest): Awaitable<MockResponse> {
    if (raw.method === 'OPTIONS') return this.withCors(raw, { status: 204 });
    const res = this.route(raw);
    return isThenable(res) ? res.then((r) => this.withCors(raw, r)) : this.withCors(raw, res);
  }

  private route(raw: MockRequest): Awaitable<MockResponse | MockLayerResponse> {
    const { path } = raw;
    // The control API, and the landing page at `/` (no variant has a route there, even served at the root).
    if (path === '/' || path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return this.control.handle(raw);
    if (this.atRoot) return this.runtimes.values().next().value!.handle(raw);
    const slash = path.indexOf('/', 1);
    const name = path.slice(1, slash < 0 ? undefined : slash);
    const runtime = this.runtimes.get(name);
    // A literal, not `{ ...raw, path }`: V8 copies a spread with an overridden property the slow way.
    if (runtime) {
      const sub = slash < 0 ? '' : path.slice(slash);
      return runtime.handle({ method: raw.method, path: sub, query: raw.query, headers: raw.headers, body: raw.body, bodyTooLarge: raw.bodyTooLarge });
    }
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
    // Every response reaching here is this request's own (VariantRuntime.handle, mockError): its headers can be
    // added to in place, where a copy per request would cost an object and a walk over its headers.
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

function corsHeaders(definitions: OpenAPIV3.Document[]): { exposeHeaders: string; allowMethods: string } {
  const headers = new Set<string>();
  const methods = new Set<string>(['OPTIONS']);
  for (const definition of definitions) {
    for (const item of Object.values(definition.paths ?? {})) {
      for (const [method, op] of Object.entries(item ?? {})) {
        if (!op || typeof op !== 'object' || !('responses' in op)) continue;
        methods.add(method.toUpperCase());
        for (const response of Object.values((op as OpenAPIV3.OperationObject).responses) as OpenAPIV3.ResponseObject[]) {
          for (const name of Object.keys(response.headers ?? {})) headers.add(name);
        }
      }
    }
  }
  return { exposeHeaders: [...headers].sort().join(', '), allowMethods: [...methods].sort().join(', ') };
}
