/**
 * The 1Flow variant: a webhook-style POST, authenticated by the webhook's raw secret in `Authorization` when it
 * has one. Spec: openapi/oneflow.yaml.
 */

import { schemas } from '../../../generated/mock-admin/validators.js';
import definition from '../../../generated/oneflow/definition.js';
import type { operations } from '../../../generated/oneflow/types.js';
import { operations as validators } from '../../../generated/oneflow/validators.js';
import defaultSeed from '../../../mocks/oneflow.json' with { type: 'json' };
import type { DemoCredential, VariantTypes } from '../../mock/types.js';
import { defineVariant, header, when } from '../define.js';
import { seeded } from '../stores.js';
import { contract } from './contract.js';
import { deleteDocument } from './deleteDocument.js';
import { documents } from './documents.js';
import { type Entry, type ErrorCode, envelope, errors, failures } from './errors.js';
import { MemoryOneflowStore, type OneflowStore, type Seed } from './store.js';

export interface Oneflow extends VariantTypes {
  operations: operations;
  seed: Seed;
  store: OneflowStore;
  /** The `Authorization` value sent, if any: the spec's security is `webhookSecret` or nothing. */
  principal: string | undefined;
  code: ErrorCode;
  locals: undefined;
  entry: Entry;
}

export const oneflow = defineVariant<Oneflow>({
  name: 'oneflow',
  definition,
  validators,
  seedValidator: schemas.OneflowSeed,
  defaultSeed,
  honoursPrefer: true,
  createStore: (seed) => seeded(new MemoryOneflowStore(), seed),
  demoCredentials: (seed) =>
    seed.webhooks.map(
      (w): DemoCredential => ({
        tenant: `webhook ${w.id}`,
        headers: w.secret === undefined ? {} : { Authorization: w.secret },
        notes: [],
      }),
    ),
  documents,
  contract,
  security: { webhookSecret: (req) => header(req, 'authorization') },
  // Whether the secret is needed depends on the webhook, so the check runs once the webhook is known.
  authorized: (req, ctx) =>
    when(ctx.store.access(req.params.webhookId, ctx.principal), (access) =>
      access === 'allowed' ? undefined : ctx.error(access),
    ),
  handlers: { deleteDocument: deleteDocument },
  errors,
  envelope,
  failures,
});
