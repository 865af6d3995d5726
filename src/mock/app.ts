/**
 * The whole mock, independent of any transport: the variants under /<variant> (or one at the root), the control
 * API under /_mock, CORS on every answer. The adapters (adapter/node, adapter/msw) put it on a socket or in MSW.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { TombstoneError } from '../errors.js';
import { documentedResponseHeaders, operations } from '../openapi/model.js';
import { type Awaitable, isThenable } from './awaitable.js';
import { type ChaosProfile, profileProblem } from './chaos.js';
import { MockClock } from './clock.js';
import { type Controller, controlApi, type DocsProvider } from './control.js';
import { credentialsOf, type JournalEntry, RequestJournal } from './journal.js';
import { mockError } from './mockErrors.js';
import { MockLayerResponse, Runtime, VariantRuntime } from './runtime.js';
import type { AnyVariant, ControlClock, MockRequest, MockResponse, SharedState } from './types.js';

export interface MockAppOptions {
  /** The variants to serve, with the (already validated) seed of each. */
  variants: { variant: AnyVariant; seed: unknown }[];
  /** Serve the single variant at the root instead of under /<variant>. */
  atRoot?: boolean;
  clock?: MockClock;
  /** State shared with other processes (src/stores/redis), instead of stores in this one. */
  shared?: SharedState;
  /** The API reference at /_mock/docs/; without one (the MSW handlers), those routes answer `docs_unavailable`. */
  docs?: DocsProvider;
  /** How many requests the journal keeps (default 1,000; 0 keeps none). */
  journalSize?: number;
  /** Chaos profiles by variant, in force from the start and again after each reset (`--chaos <file>`). */
  chaos?: ReadonlyMap<string, ChaosProfile>;
}

const CONTROL_PREFIX = '/_mock';

export class MockApp {
  readonly runtimes = new Map<string, VariantRuntime>();
  private control!: Runtime;
  private cors!: { exposeHeaders: string; allowMethods: string };

  private constructor(
    readonly clock: ControlClock,
    readonly atRoot: boolean,
    /** Every request to a variant, or to no route at all (the control API's own are not kept). */
    readonly journal: RequestJournal,
    readonly shared: SharedState | undefined,
  ) {}

  static async create(options: MockAppOptions): Promise<MockApp> {
    if (options.atRoot && options.variants.length !== 1) {
      throw new TombstoneError(`only a single variant can be served at the root, not ${options.variants.length}`);
    }
    const journal = new RequestJournal({
      ...(options.journalSize === undefined ? {} : { size: options.journalSize }),
      credentials: credentialsOf(options.variants.map((v) => v.variant.definition)),
    });
    const { shared } = options;
    const clock = shared?.clock ?? options.clock ?? new MockClock();
    const app = new MockApp(clock, Boolean(options.atRoot), journal, shared);
    for (const { variant, seed } of options.variants) {
      const runtime = await VariantRuntime.create(variant, seed, app.clock, shared?.store(variant.name));
      runtime.startChaos(options.chaos?.get(variant.name));
      app.runtimes.set(variant.name, runtime);
    }
    const controller: Controller = {
      clock: app.clock,
      journal,
      runtimes: app.runtimes,
      atRoot: app.atRoot,
      docs: options.docs,
      resetAll: () => app.resetAll(),
      shared,
    };
    app.control = await Runtime.create(controlApi(controller), {}, app.clock);
    app.cors = corsHeaders([...options.variants.map((v) => v.variant.definition), app.control.api.definition]);
    return app;
  }

  /**
   * Serves `variant` (a new definition, `--watch`) or `seed` (a new seed file) in place of the runtime of that name,
   * its state from the seed; its chaos profile from start, when the new definition still allows it. Throws, keeping
   * the old runtime, when the variant cannot be served (an operation without a handler).
   */
  async replaceVariant(variant: AnyVariant, seed: unknown): Promise<void> {
    const old = this.runtimes.get(variant.name);
    const runtime = await VariantRuntime.create(variant, seed, this.clock, this.shared?.store(variant.name));
    const profile = old?.chaosAtStart;
    runtime.startChaos(profile && !profileProblem(variant.name, variant.definition, profile) ? profile : undefined);
    this.runtimes.set(variant.name, runtime);
    this.cors = corsHeaders([
      ...[...this.runtimes.values()].map((rt) => rt.api.definition),
      this.control.api.definition,
    ]);
  }

  async resetAll(): Promise<void> {
    await this.clock.reset();
    for (const runtime of this.runtimes.values()) await runtime.reset();
  }

  /**
   * `raw.path` is the full request path. Synchronous when every step of the answer is (see awaitable.ts). An error
   * thrown by a handler is the mock's fault: a documented 500 (`internal_error`), its stack on stderr.
   */
  handle(raw: MockRequest): Awaitable<MockResponse> {
    if (raw.method === 'OPTIONS') return this.withCors(raw, { status: 204 });
    const control = isControl(raw.path);
    if (!control && this.journal.listening) raw.note = noteOf(raw);
    let res: Awaitable<MockResponse | MockLayerResponse>;
    try {
      res = control ? this.control.handle(raw) : this.route(raw);
    } catch (err) {
      return this.answered(raw, this.failed(raw, err));
    }
    if (!isThenable(res)) return this.answered(raw, res);
    return res.then(
      (r) => this.answered(raw, r),
      (err: unknown) => this.answered(raw, this.failed(raw, err)),
    );
  }

  /** A request outside the control API: to the variant its path names (all of them served at the root). */
  private route(raw: MockRequest): Awaitable<MockResponse | MockLayerResponse> {
    const { path, note } = raw;
    if (this.atRoot) {
      const runtime = this.runtimes.values().next().value!;
      if (note) note.variant = runtime.api.name;
      return runtime.handle(raw);
    }
    const end = mountEnd(path);
    const runtime = this.runtimes.get(path.slice(1, end));
    if (runtime) {
      if (note) note.variant = runtime.api.name;
      return runtime.handle({ ...raw, path: path.slice(end) });
    }
    const mounts = [...this.runtimes.keys()].map((n) => `/${n}`).join(', ');
    const message = `No route ${raw.method} ${path}; variants live under ${mounts}, the control API under /_mock`;
    if (note) note.reason = { kind: 'route_not_found', message };
    return mockError('route_not_found', message);
  }

  /** The answer with its CORS headers, noted in the journal. */
  /** A shared store out of reach is a documented 503 (it resumes by itself); anything else a fault, a 500. */
  private failed(raw: MockRequest, err: unknown): MockResponse {
    if (!this.shared?.isUnavailable(err)) return internalError(raw, err);
    const reason = err instanceof Error ? err.message : String(err);
    const message = `The shared store ${this.shared.describe} cannot be reached: ${reason}. Retry shortly.`;
    const res = mockError('store_unavailable', message);
    res.headers = { 'Retry-After': '1' };
    return res;
  }

  private answered(raw: MockRequest, answer: MockResponse | MockLayerResponse): MockResponse {
    const res = this.withCors(raw, answer);
    const { note } = raw;
    if (note) {
      // noteOf put the start's performance.now() there.
      note.durationMs = performance.now() - note.durationMs;
      note.status = res.drop ? undefined : res.status;
      note.responseHeaders = res.drop ? undefined : res.headers;
      note.responseBody = res.body;
      this.journal.record(note);
    }
    return res;
  }

  /** The methods a preflight allows at `path`: the path's own, or, for a path no route has, every served one. */
  private methodsAt(path: string): string {
    let methods: string[] | undefined;
    if (isControl(path)) methods = this.control.methodsAt(path);
    else if (this.atRoot) methods = this.runtimes.values().next().value!.methodsAt(path);
    else methods = this.runtimes.get(path.slice(1, mountEnd(path)))?.methodsAt(path.slice(mountEnd(path)));
    return methods ? [...methods, 'OPTIONS'].sort().join(', ') : this.cors.allowMethods;
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
    res.headers ??= {};
    const { headers } = res;
    headers['Vary'] = 'Origin';
    const origin = raw.headers['origin'];
    if (origin === undefined) return res;
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Expose-Headers'] = this.cors.exposeHeaders;
    if (raw.method === 'OPTIONS') {
      headers['Access-Control-Allow-Methods'] = this.methodsAt(raw.path);
      headers['Access-Control-Allow-Headers'] = raw.headers['access-control-request-headers'] ?? '*';
      headers['Access-Control-Max-Age'] = '600';
    }
    return res;
  }
}

/** The control API, and the landing page at `/` (no variant has a route there, even served at the root). */
function isControl(path: string): boolean {
  return path === '/' || path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

/** Where the mount segment of `/<variant>/...` ends. */
function mountEnd(path: string): number {
  const slash = path.indexOf('/', 1);
  return slash < 0 ? path.length : slash;
}

/** A request's journal entry, filled in as the pipeline decides and completed with the answer (`answered`). */
function noteOf(raw: MockRequest): JournalEntry {
  // One clock read: the wall-clock time is the monotonic clock's origin plus its reading.
  const start = performance.now();
  return {
    time: performance.timeOrigin + start,
    durationMs: start,
    variant: undefined,
    operationId: undefined,
    method: raw.method,
    path: raw.path,
    query: raw.query,
    headers: raw.headers,
    body: raw.body,
    status: undefined,
    responseHeaders: undefined,
    responseBody: undefined,
    reason: undefined,
    chaos: undefined,
  };
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
