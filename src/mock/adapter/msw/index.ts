/**
 * The mock as MSW request handlers, for a frontend's tests (`setupServer` from msw/node) and its browser
 * (`setupWorker` from msw/browser). No second implementation: each request becomes a MockRequest for the same
 * MockApp the HTTP server runs (routing, Prefer, validation, handlers, stores, CORS), and its MockResponse
 * becomes a fetch Response. https://mswjs.io/docs/api/http
 *
 *   const server = setupServer(...(await createHandlers()));               // http://localhost:4010/<variant>/...
 *   const server = setupServer(...(await createVariantHandlers('tavus')));  // https://tavusapi.com/v2/...
 */
import { type HttpHandler, http } from 'msw';
import { TombstoneError, UsageError } from '../../../errors.js';
import { productionServer } from '../../../openapi/model.js';
import { findVariant, type VariantName, variantNames } from '../../../variants/registry.js';
import { MockApp } from '../../app.js';
import { BODY_LIMIT_BYTES } from '../../runtime.js';
import { seedProblem } from '../../seed.js';
import { type AnyVariant, encodeBody, type MockRequest, type MockResponse } from '../../types.js';

export type { VariantName } from '../../../variants/registry.js';

export interface HandlersOptions {
  /** The origin the handlers answer for (default http://localhost:4010, where `npm start` listens). */
  origin?: string;
  /** A seed per variant, in its seed-file shape (`LeadlexSeed`, ...; default: the one in mocks/, bundled). */
  seeds?: Partial<Record<VariantName, unknown>>;
}

/** Every variant under /<variant>, the control API under /_mock and the landing page at /, like `tombstone serve`. */
export async function createHandlers(options: HandlersOptions = {}): Promise<HttpHandler[]> {
  const app = await MockApp.create({ variants: variantNames.map((name) => seeded(name, options.seeds?.[name])) });
  return handlers(app, options.origin ?? 'http://localhost:4010');
}

export interface VariantHandlersOptions {
  /** Default: the vendor's production origin from the spec (https://tavusapi.com, ...), so code that calls the
   *  vendor is answered by the mock unchanged. */
  origin?: string;
  seed?: unknown;
}

/** One variant at the root of `origin`, like `tombstone serve --variant <name>`; the control API stays under /_mock. */
export async function createVariantHandlers(
  name: VariantName,
  options: VariantHandlersOptions = {},
): Promise<HttpHandler[]> {
  const variant = seeded(name, options.seed);
  const app = await MockApp.create({ variants: [variant], atRoot: true });
  return handlers(app, options.origin ?? productionOrigin(variant.variant));
}

function seeded(name: string, seed: unknown): { variant: AnyVariant; seed: unknown } {
  const variant = findVariant(name);
  if (!variant) throw new UsageError(`unknown variant '${name}'; choose one of ${variantNames.join(', ')}`);
  const data = seed ?? variant.defaultSeed;
  const problem = seedProblem(variant, data);
  if (problem) throw new TombstoneError(`Failed to load the ${name} seed: ${problem}`);
  return { variant, seed: data };
}

/** The origin of the spec's first server that is not the local mock, its variables at their defaults. */
function productionOrigin(variant: AnyVariant): string {
  const server = productionServer(variant.definition);
  if (!server) throw new UsageError(`${variant.name}: the spec names no production server; pass { origin }`);
  return server.origin;
}

function handlers(app: MockApp, origin: string): HttpHandler[] {
  return [
    http.all(`${origin}/*`, async ({ request }) =>
      toResponse(await app.handle(await toMockRequest(request)), request.method),
    ),
  ];
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
  // A chaos reset: what fetch sees of a dropped connection, a network error (a TypeError).
  if (res.drop) return Response.error();
  const body = encodeBody(res);
  const headers = new Headers(res.headers);
  if (body) headers.set('Content-Type', body.contentType);
  return new Response(body && method !== 'HEAD' ? body.payload : null, { status: res.status, headers });
}
