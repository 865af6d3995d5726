/** The Tavus variant: `x-api-key`, a plain DELETE. Spec: openapi/tavus.yaml. */

import { schemas } from '../../../generated/mock-admin/validators.js';
import definition from '../../../generated/tavus/definition.js';
import type { operations } from '../../../generated/tavus/types.js';
import { operations as validators } from '../../../generated/tavus/validators.js';
import defaultSeed from '../../../mocks/tavus.json' with { type: 'json' };
import type { CatalogEntry, VariantTypes } from '../../mock/types.js';
import { defineVariant, header } from '../define.js';
import { seeded } from '../stores.js';
import { contract } from './contract.js';
import { deleteDocument } from './deleteDocument.js';
import { documents } from './documents.js';
import { type ErrorCode, envelope, errors, failures } from './errors.js';
import { type AccountRef, MemoryTavusStore, type Seed, type TavusStore } from './store.js';

export interface Tavus extends VariantTypes {
  operations: operations;
  seed: Seed;
  store: TavusStore;
  principal: AccountRef;
  code: ErrorCode;
  locals: undefined;
  entry: CatalogEntry;
}

export const tavus = defineVariant<Tavus>({
  name: 'tavus',
  definition,
  validators,
  seedValidator: schemas.TavusSeed,
  defaultSeed,
  honoursPrefer: true,
  createStore: (seed) => seeded(new MemoryTavusStore(), seed),
  demoCredentials: (seed) =>
    seed.accounts.flatMap((a) => a.apiKeys.map((k) => ({ tenant: a.id, headers: { 'x-api-key': k }, notes: [] }))),
  documents,
  contract,
  security: {
    apiKey: (req, store) => {
      const key = header(req, 'x-api-key');
      return key ? store.authenticate(key) : undefined;
    },
  },
  handlers: { deleteDocument: deleteDocument },
  errors,
  envelope,
  failures,
});
