/**
 * The 1Flow variant: a webhook-style POST, authenticated by the webhook's raw secret in `Authorization` when it
 * has one. Spec: openapi/oneflow.yaml.
 */
import definition from '../../../generated/oneflow/definition.js';
import { operations } from '../../../generated/oneflow/validators.js';
import { schemas } from '../../../generated/mock-admin/validators.js';
import { failureResponse } from '../../mock/catalog.js';
import { header } from '../define.js';
import { backendHandler, type MockResponse, type PipelineFailure, type VariantModule } from '../../mock/types.js';
import { deleteDocument } from './deleteDocument.js';
import { documents } from './documents.js';
import { error, type ErrorCode } from './errors.js';
import { OneflowStore, type Seed } from './store.js';

/** A body that is not JSON reads as an empty one, as with Express's json parser: docId is missing. */
const FAILURES: Record<PipelineFailure['kind'], ErrorCode> = {
  routeNotFound: 'route_not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'invalid_doc_id',
  invalidJson: 'invalid_json',
  unauthorized: 'invalid_secret',
  invalidRequest: 'invalid_doc_id',
};

export const oneflow: VariantModule<OneflowStore, Seed> = {
  name: 'oneflow',
  definition,
  validators: operations,
  honoursPrefer: true,
  seedValidator: schemas.OneflowSeed,
  createStore: (seed) => new OneflowStore(seed),
  snapshot: (store) => store.snapshot(),
  merge: (store, fragment) => store.merge(fragment),
  credentials: (seed) =>
    seed.webhooks.map((w) => `webhook ${w.id}: ${w.secret === undefined ? 'no secret' : `Authorization: ${w.secret}`}`),
  documents,
  register(api, state) {
    // The spec's security is `webhookSecret` or nothing: whether the secret is needed depends on the webhook,
    // so the check runs once the webhook is known.
    api.registerSecurityHandler('webhookSecret', backendHandler((ctx) => header(ctx, 'authorization')));
    api.register('postSecurityHandler', backendHandler((ctx): MockResponse | undefined => {
      const webhook = state.store.webhooks.get((ctx.request.params as { webhookId: string }).webhookId);
      if (!webhook) return error('webhook_not_found', ctx);
      if (webhook.secret !== undefined && ctx.security['webhookSecret'] !== webhook.secret) return error('invalid_secret', ctx);
      ctx.locals['webhook'] = webhook;
      return undefined;
    }));
    api.register('deleteDocument', backendHandler(deleteDocument));
  },
  failure: (failure, ctx) => failureResponse(FAILURES, failure, ctx, error),
};
