/**
 * The transport-agnostic request/response model shared by the HTTP server and any other adapter: handlers return
 * a MockResponse and never touch a socket, so the same handlers serve node:http and in-process tests alike.
 */
import type { Context as BackendContext, Handler as BackendHandler, OpenAPIBackend } from 'openapi-backend';
import type { ValidateFunction } from 'ajv';
import type { Clock } from './clock.js';

export type Headers = Record<string, string | undefined>;

export interface MockRequest {
  method: string;
  /** The path below the variant's mount point, still percent-encoded. */
  path: string;
  /** The raw query string, without the leading `?`. */
  query: string;
  /** Lower-cased header names. */
  headers: Headers;
  /** The raw body, if any was sent. */
  body?: string;
  /** The body was larger than the limit and was not read. */
  bodyTooLarge?: boolean;
}

export interface MockResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON; a string with its own `Content-Type` header (the landing page's HTML) is sent as it is. */
  body?: unknown;
}

/** The body as every transport (node:http, MSW) sends it, with its Content-Type; undefined when there is none. */
export function encodeBody(res: MockResponse): { contentType: string; payload: string } | undefined {
  if (res.body === undefined) return undefined;
  const contentType = res.headers?.['Content-Type'];
  if (contentType !== undefined && typeof res.body === 'string') return { contentType, payload: res.body };
  return { contentType: 'application/json; charset=utf-8', payload: JSON.stringify(res.body) };
}

/** openapi-backend's handler context, plus what tombstone's pipeline adds. */
export interface Context extends BackendContext {
  /** The operation's generated validators. */
  raw: MockRequest;
  /** Per-request values the variant's hooks share (e.g. LeadLex's request ID and rate-limit state). */
  locals: Record<string, unknown>;
}

export type Handler = (ctx: Context) => MockResponse | Promise<MockResponse>;
export type SecurityHandler = (ctx: Context) => unknown;

/** openapi-backend types its registry with its own Context; tombstone's handlers take the extended one. */
export function backendHandler(fn: (ctx: Context, res: MockResponse) => unknown): BackendHandler {
  return fn as unknown as BackendHandler;
}

/** Generated validators of one operation (generated/<spec>/validators.js). */
export interface OperationValidators {
  request: Partial<Record<'path' | 'query' | 'headers' | 'body', ValidateFunction>>;
  responses: Record<string, Partial<Record<'body' | 'headers', ValidateFunction>>>;
}

/**
 * Why the pipeline answered before the operation handler ran. Each variant maps these to its own error catalog,
 * so every such answer is one its spec documents.
 */
export type PipelineFailure =
  | { kind: 'routeNotFound' }
  | { kind: 'methodNotAllowed'; allow: string[] }
  | { kind: 'payloadTooLarge'; limit: number }
  | { kind: 'unsupportedMediaType' }
  | { kind: 'invalidJson' }
  | { kind: 'unauthorized' }
  | { kind: 'invalidRequest'; message: string };

/** An API served by a VariantRuntime: its spec, its store and its behaviour. */
export interface ApiModule<Store = unknown, Seed = unknown> {
  name: string;
  definition: import('openapi-types').OpenAPIV3.Document;
  validators: Record<string, OperationValidators>;
  /** The seed is frozen and shared by every store made from it (start, each reset): keep its objects, never change them. */
  createStore(seed: Seed, clock: Clock): Store;
  /** Registers the operation and security handlers on the API's OpenAPIBackend. */
  register(api: OpenAPIBackend, state: { store: Store }): void;
  /** The documented answer to a pipeline failure. */
  failure(failure: PipelineFailure, ctx: Context): MockResponse;
  /**
   * Adds what the API puts on every response (e.g. LeadLex's X-Request-ID), in a new response with its own headers
   * object: `res` may be one the handler keeps (a stored replay), and the caller adds to the one returned.
   */
  decorate?(ctx: Context, res: MockResponse): MockResponse;
  /** Whether `Prefer: code=/example=` may force documented responses (the vendor variants; not the control API). */
  honoursPrefer: boolean;
}

/** A vendor variant: an API whose state comes from a seed file and can be read, merged and reset. */
export interface VariantModule<Store = unknown, Seed = unknown> extends ApiModule<Store, Seed> {
  /** Validates a seed file (a component schema of openapi/mock-admin.yaml). */
  seedValidator: ValidateFunction;
  /** The store in its seed shape (GET /_mock/state/<variant>). */
  snapshot(store: Store): Seed;
  /** Merges a validated seed fragment into the store; returns an error message on conflict, changing nothing. */
  merge(store: Store, fragment: Seed): string | undefined;
  /** Called when the mock clock moves on and before state is read. */
  tick?(store: Store): void;
  /** One line per demo credential of the seed, for the start-up banner. */
  credentials(seed: Seed): string[];
  /** Every document of the seed, with the request that deletes it and what that request gets (the landing page). */
  documents(seed: Seed): DocumentEntry[];
}

/** A seeded document as the landing page (`GET /`) lists it. */
export interface DocumentEntry {
  id: string;
  name?: string;
  /** The workspace, account, app/organization or webhook that holds it. */
  tenant: string;
  /** Why the delete succeeds or fails: `deletable`, `in use`, `indexing`, `archived`, `other tenant`, `no secret`, ... */
  state: string;
  /** The delete request, with a demo credential; `path` is below the variant's base URL. */
  request: { method: string; path: string; headers: Record<string, string>; body?: unknown };
  /** What that request gets the first time: the status, and the error code when it fails. */
  expect: { status: number; code?: string };
}
