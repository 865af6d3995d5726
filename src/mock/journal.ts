/**
 * The request journal (WireMock's `/__admin/requests`, Mockoon's transaction log): the last N requests the mock
 * received and what it answered, in a ring. Recording is on the hot path, so it stores the request's and the
 * answer's own objects (the adapter's header object, the handler's body) and one small entry, and renders them,
 * credentials redacted and bodies cut, only when someone reads the journal (openapi/mock-admin.yaml, RequestRecord).
 * Runtime-agnostic: no Node built-ins.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { components } from '../../generated/mock-admin/types.js';
import { securitySchemes } from '../openapi/model.js';

export type RequestRecord = components['schemas']['RequestRecord'];
export type RequestReason = components['schemas']['RequestReason'];
export type ChaosDecision = components['schemas']['ChaosDecision'];

/** One request as the pipeline saw it: references only, rendered lazily by `render`. */
export interface JournalEntry {
  /** Wall-clock time of arrival (ms since the epoch). */
  time: number;
  durationMs: number;
  variant: string | undefined;
  operationId: string | undefined;
  method: string;
  /** The full path as sent, the variant's prefix included. */
  path: string;
  query: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string | undefined;
  /** Undefined when the connection was dropped without an answer. */
  status: number | undefined;
  responseHeaders: Readonly<Record<string, string>> | undefined;
  /** As the handler answered it: JSON-able data, or a string sent as it is. */
  responseBody: unknown;
  reason: RequestReason | undefined;
  chaos: ChaosDecision | undefined;
}

export interface JournalQuery {
  variant?: string | undefined;
  operationId?: string | undefined;
  status?: number | undefined;
  /** Only requests at or after this wall-clock time (ms since the epoch). */
  since?: number | undefined;
  /** At most this many, newest first (default 100). */
  limit?: number | undefined;
}

export interface JournalOptions {
  /** How many requests are kept (default 1,000; 0 keeps none, listeners still hear of each). */
  size?: number;
  /** Bodies are cut at this many characters (default 4,096). */
  bodyLimit?: number;
  /** What carries credentials, from the specs' security schemes (see `credentialsOf`). */
  credentials?: Credentials;
}

/** The request parts that carry credentials: header names (lower case) and query parameter names. */
export interface Credentials {
  headers: ReadonlySet<string>;
  query: ReadonlySet<string>;
}

export const DEFAULT_JOURNAL_SIZE = 1_000;
export const DEFAULT_BODY_LIMIT = 4_096;
export const DEFAULT_QUERY_LIMIT = 100;

export class RequestJournal {
  readonly size: number;
  private readonly bodyLimit: number;
  /** What carries credentials in the served specs: redacted here, and in `--log` lines. */
  readonly credentials: Credentials;
  private readonly entries: (JournalEntry | undefined)[];
  private readonly ids: number[];
  /** The id the next entry gets; ids start at 1 and keep counting across `clear`. */
  private nextId = 1;
  /** How many entries the ring holds now. */
  private held = 0;
  private readonly listeners = new Set<(entry: JournalEntry) => void>();

  constructor(options: JournalOptions = {}) {
    this.size = options.size ?? DEFAULT_JOURNAL_SIZE;
    if (!Number.isInteger(this.size) || this.size < 0) {
      throw new RangeError(
        `[tombstone] the journal size must be a whole number of requests (0 or more), got ${this.size}`,
      );
    }
    this.bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    this.credentials = options.credentials ?? { headers: new Set(), query: new Set() };
    this.entries = new Array<JournalEntry | undefined>(this.size).fill(undefined);
    this.ids = new Array<number>(this.size).fill(0);
  }

  /** Whether anything wants entries: a ring to keep them in, or a listener (`--log`). */
  get listening(): boolean {
    return this.size > 0 || this.listeners.size > 0;
  }

  /** Calls `listener` with every entry recorded from now on (the `--log` lines); returns how to stop. */
  subscribe(listener: (entry: JournalEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Keeps `entry` as it is (no copy): the caller hands over objects nobody changes afterwards. */
  record(entry: JournalEntry): void {
    const id = this.nextId++;
    if (this.size > 0) {
      // A body over the limit is cut now: kept whole, a 1 MiB body per slot would make the ring's memory unbounded.
      if (entry.body !== undefined && entry.body.length > this.bodyLimit)
        entry.body = detachedPrefix(entry.body, this.bodyLimit + 1);
      if (typeof entry.responseBody === 'string' && entry.responseBody.length > this.bodyLimit) {
        entry.responseBody = detachedPrefix(entry.responseBody, this.bodyLimit + 1);
      }
      const slot = (id - 1) % this.size;
      this.entries[slot] = entry;
      this.ids[slot] = id;
      if (this.held < this.size) this.held++;
    }
    for (const listener of this.listeners) listener(entry);
  }

  /** The matching requests, newest first, rendered (credentials redacted, bodies cut). */
  query(filter: JournalQuery = {}): RequestRecord[] {
    const limit = filter.limit ?? DEFAULT_QUERY_LIMIT;
    const out: RequestRecord[] = [];
    for (let back = 1; back <= this.held && out.length < limit; back++) {
      const slot = (this.nextId - 1 - back) % this.size;
      const entry = this.entries[slot]!;
      if (filter.since !== undefined && entry.time < filter.since) break;
      if (filter.variant !== undefined && entry.variant !== filter.variant) continue;
      if (filter.operationId !== undefined && entry.operationId !== filter.operationId) continue;
      if (filter.status !== undefined && entry.status !== filter.status) continue;
      out.push(this.render(this.ids[slot]!, entry));
    }
    return out;
  }

  /** Empties the journal; returns how many requests it held. */
  clear(): number {
    const held = this.held;
    this.entries.fill(undefined);
    this.held = 0;
    return held;
  }

  private render(id: number, entry: JournalEntry): RequestRecord {
    const record: RequestRecord = {
      id,
      time: new Date(entry.time).toISOString(),
      durationMs: Math.round(entry.durationMs * 1000) / 1000,
      method: entry.method,
      path: entry.path,
      query: redactQuery(entry.query, this.credentials.query),
      requestHeaders: redactHeaders(entry.headers, this.credentials),
      responseHeaders: redactHeaders(entry.responseHeaders ?? {}, this.credentials),
    };
    if (entry.variant !== undefined) record.variant = entry.variant as RequestRecord['variant'];
    if (entry.operationId !== undefined) record.operationId = entry.operationId;
    if (entry.body !== undefined && entry.body !== '') {
      record.requestBody = entry.body.slice(0, this.bodyLimit);
      if (entry.body.length > this.bodyLimit) record.requestBodyTruncated = true;
    }
    if (entry.status !== undefined) record.status = entry.status;
    if (entry.responseBody !== undefined) {
      const text = typeof entry.responseBody === 'string' ? entry.responseBody : JSON.stringify(entry.responseBody);
      record.responseBody = text.slice(0, this.bodyLimit);
      if (text.length > this.bodyLimit) record.responseBodyTruncated = true;
    }
    if (entry.reason) record.reason = entry.reason;
    if (entry.chaos) record.chaos = entry.chaos;
    return record;
  }
}

/**
 * What carries credentials in any of these definitions: the header (or query parameter) each `apiKey` scheme
 * names, `Authorization` for `http`, `oauth2` and `openIdConnect` schemes, `Cookie` for cookie keys.
 * https://spec.openapis.org/oas/v3.0.3#security-scheme-object
 */
export function credentialsOf(definitions: OpenAPIV3.Document[]): Credentials {
  const headers = new Set<string>();
  const query = new Set<string>();
  for (const definition of definitions) {
    for (const scheme of Object.values(securitySchemes(definition))) {
      if (scheme.type !== 'apiKey') headers.add('authorization');
      else if (scheme.in === 'header') headers.add(scheme.name.toLowerCase());
      else if (scheme.in === 'query') query.add(scheme.name);
      else headers.add('cookie');
    }
  }
  return { headers, query };
}

/** Headers that carry credentials whatever the specs say: `Authorization`, cookies, `X-…-Secret`-style names. */
const ALWAYS_SECRET =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-(.+-)?(secret|token|api-key|password))$/;

export function isCredentialHeader(name: string, credentials: Credentials): boolean {
  const lower = name.toLowerCase();
  return credentials.headers.has(lower) || ALWAYS_SECRET.test(lower);
}

const REDACTED = '…(redacted)';

/** HTTP authentication schemes (IANA registry) kept in front of a redacted credential; any other word may be secret. */
const AUTH_SCHEME = /^(basic|bearer|digest|token|negotiate|ntlm|hoba|mutual|apikey|dpop|aws4-hmac-sha256)\s+/i;

/**
 * A credential with the secret left out: an auth scheme (`Bearer `) and a key prefix (`wbk_`, `sk-`) stay, so a
 * reader can tell which kind of key was sent, but only when at least 8 characters follow the prefix.
 */
export function redactCredential(value: string): string {
  const scheme = AUTH_SCHEME.exec(value)?.[0] ?? '';
  const secret = value.slice(scheme.length);
  const prefix = /^[A-Za-z]{1,8}[_-]/.exec(secret)?.[0] ?? '';
  return `${scheme}${secret.length - prefix.length >= 8 ? prefix : ''}${REDACTED}`;
}

/** `a=1; b=2` → `a=…(redacted); b=…(redacted)`: cookie names say what was sent, values are secrets. */
function redactCookies(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? REDACTED : `${pair.slice(0, eq).trim()}=${REDACTED}`;
    })
    .join('; ');
}

function redactHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  credentials: Credentials,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (!isCredentialHeader(name, credentials)) out[name] = value;
    else out[name] = /cookie$/i.test(name) ? redactCookies(value) : redactCredential(value);
  }
  return out;
}

/** The query string with the values of `secret` parameters redacted. */
export function redactQuery(query: string, secret: ReadonlySet<string> = new Set()): string {
  if (secret.size === 0 || query === '') return query;
  const params = new URLSearchParams(query);
  let changed = false;
  for (const name of secret) {
    const values = params.getAll(name);
    if (values.length === 0) continue;
    params.delete(name);
    for (const value of values) params.append(name, redactCredential(value));
    changed = true;
  }
  return changed ? params.toString() : query;
}

/**
 * The first `length` characters as a string of their own: V8 makes `slice` of a long string a view that keeps the
 * whole string alive, and the point of cutting is to let the rest go.
 */
function detachedPrefix(text: string, length: number): string {
  return JSON.parse(JSON.stringify(text.slice(0, length))) as string;
}
