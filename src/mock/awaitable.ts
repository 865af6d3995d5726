/**
 * Steps that are synchronous unless they cannot be: the request pipeline runs hooks and handlers that may return
 * promises but mostly do not, and an async function per step would cost a promise and a microtask each on every
 * request (the same trade as fastify's hook runner).
 */

/** A value, or a promise of one. */
export type Awaitable<T> = T | Promise<T>;

/** What `await` would wait for. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
