/** Reading credentials from requests. */
import type { Context } from '../mock/types.js';

const BEARER = /^Bearer\s+\S+\s*$/i;

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750, 2.1); the scheme is case-insensitive. `test`
 * and a trim, not a capture group: `exec` allocates a match array on every request.
 */
export function bearerToken(ctx: Context): string | undefined {
  const value = ctx.request.headers['authorization'];
  return value !== undefined && BEARER.test(value) ? value.slice(6).trim() : undefined;
}

/** A header's value, or undefined when it is absent or sent more than once. */
export function header(ctx: Context, name: string): string | undefined {
  const value = ctx.request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
