/**
 * The Velt variant: RPC-style bulk delete, authenticated by `x-velt-api-key` and `x-velt-auth-token` together.
 * Spec: openapi/velt.yaml.
 */

import { schemas } from '../../../generated/mock-admin/validators.js';
import definition from '../../../generated/velt/definition.js';
import type { operations } from '../../../generated/velt/types.js';
import { operations as validators } from '../../../generated/velt/validators.js';
import defaultSeed from '../../../mocks/velt.json' with { type: 'json' };
import type { VariantTypes } from '../../mock/types.js';
import { defineVariant, header } from '../define.js';
import { seeded } from '../stores.js';
import { contract } from './contract.js';
import { deleteDocuments } from './deleteDocuments.js';
import { documents } from './documents.js';
import { type Entry, type ErrorCode, envelope, errors, failures } from './errors.js';
import { type AppRef, MemoryVeltStore, type Seed, type VeltStore } from './store.js';

export interface Velt extends VariantTypes {
  operations: operations;
  seed: Seed;
  store: VeltStore;
  principal: AppRef;
  code: ErrorCode;
  locals: undefined;
  entry: Entry;
}

export const velt = defineVariant<Velt>({
  name: 'velt',
  definition,
  validators,
  seedValidator: schemas.VeltSeed,
  defaultSeed,
  honoursPrefer: true,
  createStore: (seed, clock) => seeded(new MemoryVeltStore(clock), seed),
  demoCredentials: (seed) =>
    seed.apps.flatMap((app) =>
      app.authTokens.map((t) => ({
        tenant: app.id,
        headers: { 'x-velt-api-key': app.apiKey, 'x-velt-auth-token': t.token },
        notes: t.expiresAt ? [`expires ${t.expiresAt}`] : [],
      })),
    ),
  documents,
  contract,
  // One requirement with both schemes: each handler checks its header, the token against the key's app.
  security: {
    veltApiKey: (req, store) => {
      const key = header(req, 'x-velt-api-key');
      return key ? store.app(key) : undefined;
    },
    veltAuthToken: (req, store) => {
      const key = header(req, 'x-velt-api-key');
      const token = header(req, 'x-velt-auth-token');
      return key && token ? store.authenticate(key, token) : undefined;
    },
  },
  handlers: { deleteDocuments: deleteDocuments },
  errors,
  envelope,
  failures,
});
