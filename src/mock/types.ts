/**
 * The mock's model, shared by the core, its adapters and the variants (which import these types only, never a
 * runtime value of src/mock/): requests and responses independent of any transport, and the shape of an API the
 * runtime serves. A variant is an `Api` with a seed; see `Variant` and src/variants/define.ts.
 */
import type { ValidateFunction } from 'ajv';
import type { OpenAPIV3 } from 'openapi-types';
import type { VariantContract } from '../contract/plans.js';
import type { OperationValidators } from '../openapi/model.js';
import type { Awaitable } from './awaitable.js';
import type { Clock } from './clock.js';
import type { JournalEntry } from './journal.js';

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
  /** The request's journal entry, when the journal or `--log` wants it: the pipeline notes what it decided. */
  note?: JournalEntry;
  /** How long the answer waits, when a chaos profile drew it (set by the pipeline). */
  delayMs?: number;
}

export interface MockResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON; a string with its own `Content-Type` header (the landing page's HTML) is sent as it is. */
  body?: unknown;
  /** No answer at all: the adapter drops the connection (a chaos reset, openapi/mock-admin.yaml `chaosReset`). */
  drop?: boolean;
}

/** The body as every transport (node:http, MSW) sends it, with its Content-Type; undefined when there is none. */
export function encodeBody(res: MockResponse): { contentType: string; payload: string } | undefined {
  if (res.body === undefined) return undefined;
  const contentType = res.headers?.['Content-Type'];
  if (contentType !== undefined && typeof res.body === 'string') return { contentType, payload: res.body };
  return { contentType: 'application/json; charset=utf-8', payload: JSON.stringify(res.body) };
}

export type { OperationValidators } from '../openapi/model.js';

/** What openapi-typescript generates for one operation (`operations['deleteDocument']` in generated/<v>/types.ts). */
export interface OperationTypes {
  parameters: { path?: unknown; query?: unknown; header?: unknown };
  requestBody?: unknown;
}

type Present<T> = [NonNullable<T>] extends [never] ? Readonly<Record<string, never>> : NonNullable<T>;
type LowerCaseKeys<T> = { [K in keyof T as Lowercase<K & string>]: T[K] };

/**
 * A routed, validated request to one operation, typed by its generated types: path parameters decoded, query
 * parameters coerced to their schema types, header names lower case (as HTTP sends them), the JSON body parsed.
 */
export interface Req<Op extends OperationTypes = OperationTypes> {
  params: Present<Op['parameters']['path']>;
  query: Present<Op['parameters']['query']>;
  headers: [NonNullable<Op['parameters']['header']>] extends [never]
    ? Headers
    : LowerCaseKeys<NonNullable<Op['parameters']['header']>> & Headers;
  body: Op['requestBody'] extends { content: { 'application/json': infer Body } } ? Body : undefined;
  raw: MockRequest;
}

/** A catalog entry: the status and default message of a stable error code, and what else the envelope needs. */
export interface CatalogEntry {
  status: number;
  message: string;
}

/**
 * The types one API is made of, named once (src/variants/<v>/types.ts) so that its handlers, security handlers,
 * hooks and errors are all checked against them.
 */
export interface ApiTypes {
  /** `operations` of generated/<spec>/types.ts: one handler per key. */
  operations: object;
  store: object;
  /** What the security handlers return and handlers receive as `ctx.principal`. Include `undefined` when the
   *  spec allows anonymous requests (an empty Security Requirement). */
  principal: unknown;
  /** The error catalog's codes. */
  code: string;
  /** Per-request values the hooks and the handler share (LeadLex's request ID, rate-limit window, ...). */
  locals: unknown;
  /** A catalog entry, with any extra field the envelope reads (Velt's `rpcStatus`). */
  entry: CatalogEntry;
}

/** What a handler works with besides the request: its store, the authenticated principal, errors by code. */
export interface Ctx<T extends ApiTypes> {
  store: T['store'];
  principal: T['principal'];
  locals: T['locals'];
  clock: Clock;
  /** The catalog's answer for `code`, in the API's error envelope; `detail` replaces the default message. */
  error(code: T['code'], detail?: string): MockResponse;
}

export type Handler<T extends ApiTypes, Op extends OperationTypes> = (
  req: Req<Op>,
  ctx: Ctx<T>,
) => Awaitable<MockResponse>;

/** Any one of the API's operations. */
type AnyOperation<T extends ApiTypes> = Extract<T['operations'][keyof T['operations']], OperationTypes>;

/** The handler of operation `Id`. */
export type HandlerOf<T extends ApiTypes, Id extends keyof T['operations']> = T['operations'][Id] extends OperationTypes
  ? Handler<T, T['operations'][Id]>
  : never;

/** One handler per operationId of the generated types. */
export type Handlers<T extends ApiTypes> = { [Id in keyof T['operations']]: HandlerOf<T, Id> };

/** A security scheme's handler (openapi-backend's security handlers): the principal, or undefined to refuse. */
export type SecurityHandler<T extends ApiTypes> = (
  req: Req,
  store: T['store'],
) => Awaitable<T['principal'] | undefined>;

/** Why the pipeline answered before the operation handler ran; each API maps every kind to a code it documents. */
export type PipelineFailure =
  | { kind: 'routeNotFound' }
  | { kind: 'methodNotAllowed'; allow: string[] }
  | { kind: 'payloadTooLarge'; limit: number }
  | { kind: 'unsupportedMediaType' }
  | { kind: 'invalidJson' }
  | { kind: 'unauthorized' }
  | { kind: 'invalidRequest'; message: string };

/** An API the runtime serves: a vendor variant, or the control API. */
export interface Api<T extends ApiTypes> {
  name: string;
  definition: OpenAPIV3.Document;
  validators: Record<string, OperationValidators>;
  /** The seed is frozen and shared by every store made from it (start, each reset): keep its objects, never
   *  change them. */
  createStore(seed: never, clock: Clock): T['store'];
  /** By security scheme name (components.securitySchemes). */
  security?: Record<string, SecurityHandler<T>>;
  handlers: Handlers<T>;
  /** The error catalog: every code the API answers with, its status and default message. */
  errors: Record<T['code'], T['entry']>;
  /** The body of an error in the API's envelope. */
  envelope(error: { code: T['code']; message: string; entry: T['entry'] }): unknown;
  /** The catalog code each pipeline failure is answered with. */
  failures: Record<PipelineFailure['kind'], T['code']>;
  /** Whether `Prefer: code=/example=` may force documented responses (the vendor variants; not the control API). */
  honoursPrefer: boolean;
  /** A fresh per-request `ctx.locals`. */
  locals?(): T['locals'];
  /** After security, before validation, for every operation: an answer ends the request there (LeadLex's rate
   *  limit, 1Flow's webhook secret). */
  authorized?(req: Req<AnyOperation<T>>, ctx: Ctx<T>): Awaitable<MockResponse | undefined>;
  /** Once the answer is final (after any injected delay): LeadLex stores idempotent replays here. */
  responded?(ctx: Ctx<T>, res: MockResponse): Awaitable<void>;
  /**
   * Adds what the API puts on every response (e.g. LeadLex's X-Request-ID), in a new response with its own headers
   * object: `res` may be one the handler keeps (a stored replay), and the caller adds to the one returned.
   */
  decorate?(ctx: Ctx<T>, res: MockResponse): MockResponse;
}

/**
 * A variant's store: it owns its state's seed-shaped view and the merging of more seed data. Its methods answer
 * synchronously in memory and with a promise from a shared store (src/stores/redis): callers take either.
 */
export interface VariantStore<Seed> {
  /** The store in its seed shape (GET /_mock/state/<variant>). */
  snapshot(): Awaitable<Seed>;
  /** Merges a validated seed fragment; returns an error message on conflict, changing nothing. */
  merge(fragment: Seed): Awaitable<string | undefined>;
  /** Called when the mock clock moves on and before state is read. */
  tick?(): Awaitable<void>;
}

/** A clock the control API moves: the in-memory MockClock, or one shared by several processes. */
export interface ControlClock extends Clock {
  /** Now, as every process sharing the state agrees on it. */
  shared?(): Promise<number>;
  advance(seconds: number): Awaitable<void>;
  reset(): Awaitable<void>;
}

/**
 * State shared by several processes (`tombstone serve --store redis://…`, src/stores/redis): a store per variant
 * in place of `createStore`'s, one clock, and what the mock layer needs to answer while the store is unreachable.
 */
export interface SharedState {
  kind: 'redis';
  clock: ControlClock;
  /** The variant's shared store, already seeded (or joined). */
  store(variant: string): VariantStore<unknown> & { reset(): Promise<void> };
  /** Whether `err` means the store could not be reached (answered 503 store_unavailable), not a fault. */
  isUnavailable(err: unknown): boolean;
  /** Whether the store answers now (GET /_mock/health). */
  reachable(): Promise<boolean>;
  /** Where it is, for messages: redis://host:port/db. */
  describe: string;
  close(): Promise<void>;
}

export interface VariantTypes extends ApiTypes {
  seed: unknown;
  store: VariantStore<this['seed']>;
}

/** A vendor variant: an API whose state comes from a seed file and can be read, merged and reset. */
export interface Variant<T extends VariantTypes = AnyTypes> extends Api<T> {
  createStore(seed: T['seed'], clock: Clock): T['store'];
  /** Validates a seed file (a component schema of openapi/mock-admin.yaml). */
  seedValidator: ValidateFunction;
  /** The seed `npm start` serves (mocks/<v>.json), bundled for the MSW handlers; validated before use. */
  defaultSeed: unknown;
  /** Every demo credential of the seed, each with its tenant: other tenants' and expired ones too (the fuzzer's). */
  demoCredentials(seed: T['seed']): DemoCredential[];
  /** One line per demo credential, for the start-up banner and the landing page: `defineVariant` makes them. */
  credentials(seed: T['seed']): string[];
  /** Every document of the seed, with the request that deletes it and what that request gets (the landing page). */
  documents(seed: T['seed']): DocumentEntry[];
  /** What the contract runner needs to exercise the variant: credentials, parents, tenants (its contract.ts). */
  contract: VariantContract;
}

/** Any API's types: the registry and the core hold APIs of different types side by side. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds variants of different types side by side.
export type AnyTypes = any;
export type AnyVariant = Variant<AnyTypes>;

/** A demo credential of a seed: the tenant it acts for and the headers a request sends it in. */
export interface DemoCredential {
  /** The workspace, account, app or webhook, named as `DocumentEntry['tenant']` names it. */
  tenant: string;
  /** Header name → value; none when the tenant needs no credential (a 1Flow webhook without a secret). */
  headers: Record<string, string>;
  /** What else decides what it may do: permissions, expiry, rate limit. */
  notes: string[];
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
