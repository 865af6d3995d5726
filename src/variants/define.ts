/**
 * What a variant folder builds on: `defineVariant`, which checks a variant against its types, and the helpers
 * its security handlers and landing-page documents share. Types only from src/mock/: a variant folder (read by
 * the contract runner for its credentials and tenants) never pulls in the mock's runtime.
 */
import type { DemoCredential, DocumentEntry, Req, Variant, VariantTypes } from '../mock/types.js';

/**
 * A variant, checked: one handler per operation of `T['operations']` typed by its generated request types, its
 * security handlers returning `T['principal']`, errors by `T['code']`, a store with snapshot and merge. Its
 * credentials' display lines are made from its `demoCredentials`, the one source of both.
 */
export function defineVariant<T extends VariantTypes>(variant: Omit<Variant<T>, 'credentials'>): Variant<T> {
  return { ...variant, credentials: (seed) => variant.demoCredentials(seed).map(credentialLine) };
}

/** `<header>: <value> + …  (<tenant>; <notes>)`, or `no credential needed  (<tenant>)`. */
function credentialLine({ tenant, headers, notes }: DemoCredential): string {
  const sent = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `${sent.join(' + ') || 'no credential needed'}  (${[tenant, ...notes].join('; ')})`;
}

/**
 * `next(value)`: at once when the store answered synchronously (in memory: no promise on the hot path), once its
 * promise settles when it did not (a shared store, src/stores/redis).
 */
export function when<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

const BEARER = /^Bearer\s+\S+\s*$/i;

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750, 2.1); the scheme is case-insensitive. `test`
 * and a trim, not a capture group: `exec` allocates a match array on every request.
 */
export function bearerToken(req: Req): string | undefined {
  const value = req.headers['authorization'];
  return value !== undefined && BEARER.test(value) ? value.slice(6).trim() : undefined;
}

/** A header's value, or undefined when it is absent or sent more than once. */
export function header(req: Req, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** What a request answered with `code` gets: the status and the code (the landing page's expectations). */
export function failsWith<Code extends string>(
  errors: Record<Code, { status: number }>,
  code: Code,
): DocumentEntry['expect'] {
  return { status: errors[code].status, code };
}
