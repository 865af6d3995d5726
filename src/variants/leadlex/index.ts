/**
 * The LeadLex variant: bearer `wbk_` keys with permissions, per-key rate limits, X-Request-ID on every response,
 * Idempotency-Key replays. Spec: openapi/leadlex.yaml.
 *
 * A request, in order: `bearerKey` finds the key's principal; `authorized` counts it against the key's rate limit
 * (every authenticated request counts, valid or not); the handler (deleteDocument.ts) reserves its
 * Idempotency-Key and deletes; `responded` stores the answer for replays once it is final; `decorate` adds
 * X-Request-ID and the rate-limit headers to every answer. What they share is the request's `LeadlexRequest`.
 */
import definition from '../../../generated/leadlex/definition.js';
import type { operations } from '../../../generated/leadlex/types.js';
import { operations as validators } from '../../../generated/leadlex/validators.js';
import { schemas } from '../../../generated/mock-admin/validators.js';
import defaultSeed from '../../../mocks/leadlex.json' with { type: 'json' };
import type { CatalogEntry, VariantTypes } from '../../mock/types.js';
import { bearerToken, defineVariant, when } from '../define.js';
import { seeded } from '../stores.js';
import { contract } from './contract.js';
import { deleteDocument } from './deleteDocument.js';
import { documents } from './documents.js';
import { type ErrorCode, envelope, errors, failures } from './errors.js';
import { nextRequestId } from './requestId.js';
import { type LeadlexStore, MemoryLeadlexStore, type Principal, type RateLimitWindow, type Seed } from './store.js';

/** What one request's steps share. */
export class LeadlexRequest {
  rateLimit: RateLimitWindow | undefined = undefined;
  /** The Idempotency-Key reservation (the store's record) whose answer `responded` stores. */
  idempotency: object | undefined = undefined;
  private id: string | undefined = undefined;

  /** Made on first use, so the handler's audit entry and the response header agree. */
  get requestId(): string {
    this.id ??= nextRequestId();
    return this.id;
  }
}

export interface Leadlex extends VariantTypes {
  operations: operations;
  seed: Seed;
  store: LeadlexStore;
  principal: Principal;
  code: ErrorCode;
  locals: LeadlexRequest;
  entry: CatalogEntry;
}

export const leadlex = defineVariant<Leadlex>({
  name: 'leadlex',
  definition,
  validators,
  seedValidator: schemas.LeadlexSeed,
  defaultSeed,
  honoursPrefer: true,
  createStore: (seed, clock) => seeded(new MemoryLeadlexStore(clock), seed),
  demoCredentials: (seed) =>
    seed.workspaces.flatMap((ws) =>
      ws.keys.map((k) => {
        const notes = [k.permissions.join(', ') || 'no permissions'];
        if (k.expiresAt) notes.push(`expires ${k.expiresAt}`);
        if (k.rateLimit) notes.push(`${k.rateLimit.limit}/${k.rateLimit.windowSeconds}s`);
        return { tenant: ws.id, headers: { Authorization: `Bearer ${k.key}` }, notes };
      }),
    ),
  documents,
  contract,
  locals: () => new LeadlexRequest(),
  security: {
    bearerKey: (req, store) => {
      const token = bearerToken(req);
      return token ? store.authenticate(token) : undefined;
    },
  },
  authorized: (_req, { store, principal, locals, error }) =>
    when(store.consume(principal), (window) => {
      locals.rateLimit = window;
      if (window.allowed) return undefined;
      const res = error('rate_limited');
      res.headers = { 'Retry-After': String(Math.max(0, window.reset - Math.floor(store.clock.now() / 1000))) };
      return res;
    }),
  handlers: { deleteDocument: deleteDocument },
  // The replay of an idempotent request is stored once the response is final (after any injected delay).
  responded: ({ store, locals }, res) =>
    locals.idempotency ? store.completeIdempotencyKey(locals.idempotency, res) : undefined,
  /** X-Request-ID on every response (the page: "Standard rate-limit headers and X-Request-ID are present"). */
  decorate: ({ locals }, res) => {
    const id = locals.requestId;
    // Object.assign, not a spread: V8 gives a spread copy no room for the headers added next.
    const headers: Record<string, string> = Object.assign({}, res.headers);
    headers['X-Request-ID'] = id;
    const window = locals.rateLimit;
    if (window) {
      headers['X-RateLimit-Limit'] = String(window.limit);
      headers['X-RateLimit-Remaining'] = String(window.remaining);
      headers['X-RateLimit-Reset'] = String(window.reset);
    }
    const body = res.body as { error?: { request_id: string } } | undefined;
    return { status: res.status, headers, body: body?.error ? { error: { ...body.error, request_id: id } } : res.body };
  },
  errors,
  envelope,
  failures,
});
