/** The Dify variant: one bearer key per account, nested knowledge bases, state errors. Spec: openapi/dify.yaml. */
import definition from '../../../generated/dify/definition.js';
import type { operations } from '../../../generated/dify/types.js';
import { operations as validators } from '../../../generated/dify/validators.js';
import { schemas } from '../../../generated/mock-admin/validators.js';
import defaultSeed from '../../../mocks/dify.json' with { type: 'json' };
import type { VariantTypes } from '../../mock/types.js';
import { bearerToken, defineVariant } from '../define.js';
import { seeded } from '../stores.js';
import { contract } from './contract.js';
import { deleteDocument } from './deleteDocument.js';
import { documents } from './documents.js';
import { type Entry, type ErrorCode, envelope, errors, failures } from './errors.js';
import { type AccountRef, type DifyStore, MemoryDifyStore, type Seed } from './store.js';

export interface Dify extends VariantTypes {
  operations: operations;
  seed: Seed;
  store: DifyStore;
  principal: AccountRef;
  code: ErrorCode;
  locals: undefined;
  entry: Entry;
}

export const dify = defineVariant<Dify>({
  name: 'dify',
  definition,
  validators,
  seedValidator: schemas.DifySeed,
  defaultSeed,
  honoursPrefer: true,
  createStore: (seed) => seeded(new MemoryDifyStore(), seed),
  demoCredentials: (seed) =>
    seed.accounts.flatMap((a) =>
      a.apiKeys.map((k) => ({ tenant: a.id, headers: { Authorization: `Bearer ${k}` }, notes: [] })),
    ),
  documents,
  contract,
  security: {
    ApiKeyAuth: (req, store) => {
      const token = bearerToken(req);
      return token ? store.authenticate(token) : undefined;
    },
  },
  handlers: { deleteDocument: deleteDocument },
  errors,
  envelope,
  failures,
});
