/**
 * The Velt variant: RPC-style bulk delete, authenticated by `x-velt-api-key` and `x-velt-auth-token` together.
 * Spec: openapi/velt.yaml.
 */
import definition from '../../../generated/velt/definition.js';
import { operations } from '../../../generated/velt/validators.js';
import { schemas } from '../../../generated/mock-admin/validators.js';
import { failureResponse } from '../../mock/catalog.js';
import { header } from '../define.js';
import { backendHandler, type PipelineFailure, type VariantModule } from '../../mock/types.js';
import { deleteDocuments } from './deleteDocuments.js';
import { documents } from './documents.js';
import { error, type ErrorCode } from './errors.js';
import { VeltStore, type Seed } from './store.js';

const FAILURES: Record<PipelineFailure['kind'], ErrorCode> = {
  routeNotFound: 'route_not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  invalidJson: 'invalid_argument',
  unauthorized: 'unauthenticated',
  invalidRequest: 'invalid_argument',
};

export const velt: VariantModule<VeltStore, Seed> = {
  name: 'velt',
  definition,
  validators: operations,
  honoursPrefer: true,
  seedValidator: schemas.VeltSeed,
  createStore: (seed, clock) => new VeltStore(seed, clock),
  snapshot: (store) => store.snapshot(),
  merge: (store, fragment) => store.merge(fragment),
  credentials: (seed) =>
    seed.apps.flatMap((app) =>
      app.authTokens.map((t) => `x-velt-api-key: ${app.apiKey} + x-velt-auth-token: ${t.token}  (${app.id}${t.expiresAt ? `; expires ${t.expiresAt}` : ''})`),
    ),
  documents,
  register(api, state) {
    // One requirement with both schemes: each handler checks its header, the token against the key's app.
    api.registerSecurityHandler('veltApiKey', backendHandler((ctx) => {
      const key = header(ctx, 'x-velt-api-key');
      return key ? state.store.app(key) : undefined;
    }));
    api.registerSecurityHandler('veltAuthToken', backendHandler((ctx) => {
      const key = header(ctx, 'x-velt-api-key');
      const token = header(ctx, 'x-velt-auth-token');
      return key && token ? state.store.authenticate(key, token) : undefined;
    }));
    api.register('deleteDocuments', backendHandler(deleteDocuments(state)));
  },
  failure: (failure, ctx) => failureResponse(FAILURES, failure, ctx, error),
};
