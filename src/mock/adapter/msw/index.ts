/**
 * The mock as MSW request handlers, for a frontend's tests (`setupServer` from msw/node) and its browser
 * (`setupWorker` from msw/browser). No second implementation: each request becomes a MockRequest for the same
 * MockApp the HTTP server runs (routing, Prefer, validation, handlers, stores, CORS), and its MockResponse
 * becomes a fetch Response. https://mswjs.io/docs/api/http
 *
 *   const server = setupServer(...(await createHandlers()));               // http://localhost:4010/<variant>/...
 *   const server = setupServer(...(await createVariantHandlers('tavus')));  // https://tavusapi.com/v2/...
 */
import { http, type HttpHandler } from 'msw';
import difySeed from '../../../../mocks/dify.json' with { type: 'json' };
import leadlexSeed from '../../../../mocks/leadlex.json' with { type: 'json' };
import oneflowSeed from '../../../../mocks/oneflow.json' with { type: 'json' };
import tavusSeed from '../../../../mocks/tavus.json' with { type: 'json' };
import veltSeed from '../../../../mocks/velt.json' with { type: 'json' };
import { MockApp } from '../../app.js';
import { BODY_LIMIT_BYTES } from '../../runtime.js';
import { seedProblem } from '../../seed.js';
import { encodeBody, type MockRequest, type MockResponse, type VariantModule } from '../../types.js';
import { variants } from '../../../variants/registry.js';

/** The seeds `npm start` serves (mocks/), bundled so the handlers need no file system. */
const SEEDS: Record<string, unknown> = { leadlex: leadlexSeed, dify: difySeed, tavus: tavusSeed, velt: veltSeed, oneflow: oneflowSeed };

export interface HandlersOptions {
  /** The origin the handlers answer for (default http://localhost:4010, where `npm start` listens). */
  origin?: string;
  /** A seed per variant, in its seed-file shape (`LeadlexSeed`, ...; default: the one in mocks/). */
  seeds?: Record<string, unknown>;
}

/** Every variant under /<variant>, the control API under /_mock and the landing page at /, like `tombstone serve`. */
export async function createHandlers(options: HandlersOptions = {}): Promise<HttpHandler[]> {
  const app = await MockApp.create({ variants: Object.keys(variants).map((name) => seeded(name, options.seeds?.[name])) });
  return handlers(app, options.origin ?? 'http://localhost:4010');
}

export interface VariantHandlersOptions {
  /** Default: the vendor's production origin from the spec (https://tavusapi.com, ...), so code that calls the
   *  vendor is answered by the mock unchanged. */
  origin?: string;
  seed?: unknown;
}

/** One variant at the root of `origin`, like `tombstone serve --variant <name>`; the control API stays under /_mock. */
export async function createVariantHandlers(name: string, options: VariantHandlersOptions = {}): Promise<HttpHandler[]> {
  const variant = seeded(name, options.seed);
  const app = await MockApp.create({ variants: [variant], atRoot: true });
  return handlers(app, options.origin ?? productionOrigin(variant.module));
}

function seeded(name: string, seed: unknown): { module: VariantModule; seed: unknown } {
  const module = variants[name] as VariantModule | undefined;
  if (!module) throw new Error(`unknown variant '${name}'; choose one of ${Object.keys(variants).join(', ')}`);
  const data = seed ?? SEEDS[name];
  const problem = seedProblem(module, data);
  if (problem) throw new Error(`Failed to load the ${name} seed: ${problem}`);
  return { module, seed: data };
}

/** The origin of the spec's first server that is not the local mock, its variables at their defaults. */
function productionOrigin(module: VariantModule): string {
  const server = module.definition.servers?.find((s) => !s.url.startsWith('http://localhost:4010'));
  if (!server) throw new Error(`${module.name}: the spec names no production server; pass { origin }`);
  const url = server.url.replace(/\{(\w+)\}/g, (_, name: string) => String(server.variables?.[name]?.default ?? ''));
  return new URL(url).origin;
}

function handlers(app: MockApp, origin: string): HttpHandler[] {
  return [http.all(`${origin}/*`, async ({ request }) => toResponse(await app.handle(await toMockRequest(request)), request.method))];
}

/** What node:http would hand the app: lower-cased headers with Host, the raw path and query, the body as text. */
async function toMockRequest(request: Request): Promise<MockRequest> {
  const url = new URL(request.url);
  const headers: MockRequest['headers'] = Object.fromEntries(request.headers);
  headers['host'] ??= url.host;
  const raw: MockRequest = { method: request.method, path: url.pathname, query: url.search.slice(1), headers };
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > BODY_LIMIT_BYTES) raw.bodyTooLarge = true;
  else if (bytes.byteLength > 0) raw.body = new TextDecoder().decode(bytes);
  return raw;
}

/** The same status, headers and body bytes as http.ts writes; a HEAD answer has no body, as over HTTP. */
function toResponse(res: MockResponse, method: string): Response {
  const body = encodeBody(res);
  const headers = new Headers(res.headers);
  if (body) headers.set('Content-Type', body.contentType);
  return new Response(body && method !== 'HEAD' ? body.payload : null, { status: res.status, headers });
}
