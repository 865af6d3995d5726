/**
 * The LeadLex variant: bearer `wbk_` keys with permissions, per-key rate limits, X-Request-ID on every response,
 * Idempotency-Key replays. Spec: openapi/leadlex.yaml.
 */
import definition from '../../../generated/leadlex/definition.js';
import { operations } from '../../../generated/leadlex/validators.js';
import { schemas } from '../../../generated/mock-admin/validators.js';
import { failureResponse } from '../../mock/catalog.js';
import { bearerToken } from '../define.js';
import { backendHandler, type MockResponse, type PipelineFailure, type VariantModule } from '../../mock/types.js';
import { requestIdOf } from './requestId.js';
import { deleteDocument } from './deleteDocument.js';
import { documents } from './documents.js';
import { error, type ErrorCode } from './errors.js';
import { LeadlexStore, type IdempotencyRecord, type Principal, type Seed } from './store.js';

const FAILURES: Record<PipelineFailure['kind'], ErrorCode> = {
  routeNotFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'invalid_request',
  invalidJson: 'invalid_request',
  unauthorized: 'invalid_key',
  invalidRequest: 'invalid_request',
};

export const leadlex: VariantModule<LeadlexStore, Seed> = {
  name: 'leadlex',
  definition,
  validators: operations,
  honoursPrefer: true,
  seedValidator: schemas.LeadlexSeed,
  createStore: (seed, clock) => new LeadlexStore(seed, clock),
  snapshot: (store) => store.snapshot(),
  merge: (store, fragment) => store.merge(fragment),
  credentials: (seed) =>
    seed.workspaces.flatMap((ws) =>
      ws.keys.map((k) => `Authorization: Bearer ${k.key}  (${ws.id}; ${k.permissions.join(', ') || 'no permissions'}${k.expiresAt ? `; expires ${k.expiresAt}` : ''}${k.rateLimit ? `; ${k.rateLimit.limit}/${k.rateLimit.windowSeconds}s` : ''})`),
    ),
  documents,
  tick: (store) => store.runDuePurges(),
  register(api, state) {
    api.registerSecurityHandler('bearerKey', backendHandler((ctx) => {
      const token = bearerToken(ctx);
      return token ? state.store.authenticate(token) : undefined;
    }));
    // Rate limiting runs once the key is known, before validation: every authenticated request counts.
    api.register('postSecurityHandler', backendHandler((ctx): MockResponse | undefined => {
      const principal = ctx.security['bearerKey'] as Principal;
      const window = state.store.consume(principal.key);
      ctx.locals['rateLimit'] = window;
      if (window.allowed) return undefined;
      const res = error('rate_limited', ctx);
      res.headers = { 'Retry-After': String(Math.max(0, window.reset - Math.floor(state.store.clock.now() / 1000))) };
      return res;
    }));
    api.register('deleteDocument', backendHandler(deleteDocument(state)));
    // The replay of an idempotent request is stored once the response is final (after any injected delay).
    api.register('postResponseHandler', backendHandler((ctx, res) => {
      const record = ctx.locals['idempotencyRecord'] as IdempotencyRecord | undefined;
      if (record) state.store.completeIdempotencyKey(record, res);
    }));
  },
  failure: (failure, ctx) => failureResponse(FAILURES, failure, ctx, error),
  /** X-Request-ID on every response (the page: "Standard rate-limit headers and X-Request-ID are present"). */
  decorate(ctx, res) {
    const id = requestIdOf(ctx);
    // Object.assign, not a spread: V8 gives a spread copy no room for the headers added next.
    const headers: Record<string, string> = Object.assign({}, res.headers);
    headers['X-Request-ID'] = id;
    const window = ctx.locals['rateLimit'] as { limit: number; remaining: number; reset: number } | undefined;
    if (window) {
      headers['X-RateLimit-Limit'] = String(window.limit);
      headers['X-RateLimit-Remaining'] = String(window.remaining);
      headers['X-RateLimit-Reset'] = String(window.reset);
    }
    const body = res.body as { error?: { request_id: string } } | undefined;
    return { status: res.status, headers, body: body?.error ? { error: { ...body.error, request_id: id } } : res.body };
  },
};
