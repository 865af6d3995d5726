/** The Tavus variant: `x-api-key`, a plain DELETE. Spec: openapi/tavus.yaml. */
import definition from '../../../generated/tavus/definition.js';
import { operations } from '../../../generated/tavus/validators.js';
import { schemas } from '../../../generated/mock-admin/validators.js';
import { failureResponse } from '../../mock/catalog.js';
import { header } from '../define.js';
import { backendHandler, type PipelineFailure, type VariantModule } from '../../mock/types.js';
import { deleteDocument } from './deleteDocument.js';
import { documents } from './documents.js';
import { error, type ErrorCode } from './errors.js';
import { TavusStore, type Seed } from './store.js';

/** Tavus documents no 400: an ID that cannot be valid names no document. */
const FAILURES: Record<PipelineFailure['kind'], ErrorCode> = {
  routeNotFound: 'route_not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'document_not_found',
  invalidJson: 'document_not_found',
  unauthorized: 'invalid_access_token',
  invalidRequest: 'document_not_found',
};

export const tavus: VariantModule<TavusStore, Seed> = {
  name: 'tavus',
  definition,
  validators: operations,
  honoursPrefer: true,
  seedValidator: schemas.TavusSeed,
  createStore: (seed) => new TavusStore(seed),
  snapshot: (store) => store.snapshot(),
  merge: (store, fragment) => store.merge(fragment),
  credentials: (seed) => seed.accounts.flatMap((a) => a.apiKeys.map((k) => `x-api-key: ${k}  (${a.id})`)),
  documents,
  register(api, state) {
    api.registerSecurityHandler('apiKey', backendHandler((ctx) => {
      const key = header(ctx, 'x-api-key');
      return key ? state.store.authenticate(key) : undefined;
    }));
    api.register('deleteDocument', backendHandler(deleteDocument));
  },
  failure: (failure, ctx) => failureResponse(FAILURES, failure, ctx, error),
};
