/**
 * Velt's state: apps, each with one API key and its auth tokens, holding organizations with documents.
 * Credentials reach only their own app's organizations.
 */
import type { components } from '../../../generated/mock-admin/types.js';
import type { components as api } from '../../../generated/velt/types.js';
import type { Clock } from '../../mock/clock.js';
import type { VariantStore } from '../../mock/types.js';
import { duplicateId, getOrCreate } from '../stores.js';

export type Seed = components['schemas']['VeltSeed'];
type SeedApp = Seed['apps'][number];
type AuthToken = SeedApp['authTokens'][number];
type SeedOrganization = SeedApp['organizations'][number];
export type Document = SeedOrganization['documents'][number] & { internalId: string };

export interface Organization {
  id: string;
  documents: Map<string, Document>;
  /** Internal IDs of deleted documents, so a document ID keeps reporting the same Velt ID after its delete. */
  deleted: Map<string, string>;
}

export interface App {
  id: string;
  apiKey: string;
  authTokens: Map<string, AuthToken>;
  organizations: Map<string, Organization>;
}

type Result = api['schemas']['DocumentResult'];

export interface VeltStore extends VariantStore<Seed> {
  /** The app whose API key this is. */
  app(apiKey: string): App | undefined;
  /** The app whose API key and (unexpired) auth token these are; both must belong to the same app. */
  authenticate(apiKey: string, token: string): App | undefined;
  /**
   * Deletes the documents of one of the app's organizations: one result per distinct ID, or undefined when the app
   * has no such organization. An ID with no document still succeeds, with the Velt ID it had or would have.
   */
  deleteDocuments(app: App, organizationId: string, documentIds: string[]): Record<string, Result> | undefined;
}

export class MemoryVeltStore implements VeltStore {
  private readonly apps = new Map<string, App>();
  private readonly byApiKey = new Map<string, App>();

  constructor(private readonly clock: Clock) {}

  merge(seed: Seed): string | undefined {
    for (const a of seed.apps) {
      const existing = this.apps.get(a.id);
      if (existing && existing.apiKey !== a.apiKey) return `App ${a.id} has API key ${existing.apiKey}, not ${a.apiKey}`;
      const owner = this.byApiKey.get(a.apiKey);
      if (owner && owner.id !== a.id) return `API key ${a.apiKey} already belongs to app ${owner.id}`;
      for (const org of a.organizations) {
        const duplicate = duplicateId(org.documents, existing?.organizations.get(org.id)?.documents);
        if (duplicate) return `Document ${duplicate} already exists in organization ${org.id}`;
      }
    }
    for (const a of seed.apps) {
      let app = this.apps.get(a.id);
      if (!app) {
        app = { id: a.id, apiKey: a.apiKey, authTokens: new Map(), organizations: new Map() };
        this.apps.set(a.id, app);
        this.byApiKey.set(a.apiKey, app);
      }
      for (const token of a.authTokens) app.authTokens.set(token.token, token);
      for (const org of a.organizations) {
        const organization = getOrCreate(app.organizations, org.id, () => ({
          id: org.id,
          documents: new Map(),
          deleted: new Map(),
        }));
        for (const doc of org.deletedDocuments ?? []) organization.deleted.set(doc.id, doc.internalId);
        for (const doc of org.documents) {
          organization.documents.set(doc.id, { ...doc, internalId: doc.internalId ?? internalId(org.id, doc.id) });
        }
      }
    }
    return undefined;
  }

  snapshot(): Seed {
    return {
      apps: [...this.apps.values()].map((app) => ({
        id: app.id,
        apiKey: app.apiKey,
        authTokens: [...app.authTokens.values()],
        organizations: [...app.organizations.values()].map((org) => ({
          id: org.id,
          ...(org.deleted.size > 0 ? { deletedDocuments: [...org.deleted].map(([id, internalId]) => ({ id, internalId })) } : {}),
          documents: [...org.documents.values()],
        })),
      })),
    };
  }

  deleteDocuments(app: App, organizationId: string, documentIds: string[]): Record<string, Result> | undefined {
    const organization = app.organizations.get(organizationId);
    if (!organization) return undefined;
    // Keyed by caller-chosen IDs: a prototype-less object, so "__proto__" is a key like any other.
    const data: Record<string, Result> = Object.create(null);
    for (const id of documentIds) {
      if (id in data) continue;
      const doc = organization.documents.get(id);
      if (doc) {
        organization.documents.delete(id);
        organization.deleted.set(id, doc.internalId);
        data[id] = { success: true, id: doc.internalId, message: 'Deleted Successfully' };
      } else {
        const known = organization.deleted.get(id) ?? internalId(organization.id, id);
        data[id] = { success: true, id: known, message: 'Document does not exist' };
      }
    }
    return data;
  }

  app(apiKey: string): App | undefined {
    return this.byApiKey.get(apiKey);
  }

  authenticate(apiKey: string, token: string): App | undefined {
    const app = this.byApiKey.get(apiKey);
    const auth = app?.authTokens.get(token);
    if (!auth) return undefined;
    if (auth.expiresAt && Date.parse(auth.expiresAt) <= this.clock.now()) return undefined;
    return app;
  }
}

/**
 * Velt reports a numeric ID per document, even for one that does not exist ("2131443384150904" in the page's
 * sample); tombstone derives it from the organization and document IDs (64-bit FNV-1a, 16 decimal digits).
 */
export function internalId(organizationId: string, documentId: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(`${organizationId}\u0000${documentId}`)) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  }
  return String(hash % 10n ** 16n).padStart(16, '0');
}
