/** The Dify variant: one bearer key per account, nested knowledge bases, state errors. Spec: openapi/dify.yaml. */
import definition from '../../../generated/dify/definition.js';
import { operations } from '../../../generated/dify/validators.js';
import { schemas } from '../../../generated/mock-admin/validators.js';
import { failureResponse } from '../../mock/catalog.js';
import { bearerToken } from '../define.js';
import { backendHandler, type PipelineFailure, type VariantModule } from '../../mock/types.js';
import { deleteDocument } from './deleteDocument.js';
import { documents } from './documents.js';
import { error, type ErrorCode } from './errors.js';
import { DifyStore, type Seed } from './store.js';

const FAILURES: Record<PipelineFailure['kind'], ErrorCode> = {
  routeNotFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'request_entity_too_large',
  unsupportedMediaType: 'invalid_param',
  invalidJson: 'invalid_param',
  unauthorized: 'unauthorized',
  invalidRequest: 'invalid_param',
};

export const dify: VariantModule<DifyStore, Seed> = {
  name: 'dify',
  definition,
  validators: operations,
  honoursPrefer: true,
  seedValidator: schemas.DifySeed,
  createStore: (seed) => new DifyStore(seed),
  snapshot: (store) => store.snapshot(),
  merge: (store, fragment) => store.merge(fragment),
  credentials: (seed) => seed.accounts.flatMap((a) => a.apiKeys.map((k) => `Authorization: Bearer ${k}  (${a.id})`)),
  documents,
  register(api, state) {
    api.registerSecurityHandler('ApiKeyAuth', backendHandler((ctx) => {
      const token = bearerToken(ctx);
      return token ? state.store.authenticate(token) : undefined;
    }));
    api.register('deleteDocument', backendHandler(deleteDocument(state)));
  },
  failure: (failure, ctx) => failureResponse(FAILURES, failure, ctx, error),
};
