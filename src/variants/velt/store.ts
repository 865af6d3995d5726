/**
 * Velt's state: apps, each with one API key and its auth tokens, holding organizations with documents.
 * Credentials reach only their own app's organizations.
 */
import type { components } from '../../../generated/mock-admin/types.js';
import type { Awaitable } from '../../mock/awaitable.js';
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
  /**
   * Every document ID the organization has had, live or deleted. A delete marks its entry instead of moving the
   * document from one Map to another: at the bench's 300,000 documents, removing from one Map and adding to
   * another cost about 1 µs per ID, half of a 1,000-ID bulk delete; writing two fields of the entry costs next to
   * nothing. The entry moves to the end of the Map when its ID gets a document, so the live documents keep the
   * order in which they were added.
   */
  entries: Map<string, Entry>;
  /** How many IDs have been deleted here: the order of the snapshot's deletedDocuments. */
  deletes: number;
}

/**
 * One document ID: its document while it lives; once deleted, the Velt ID it keeps reporting and its place among
 * the deletes. One shape for all (no field is added later).
 */
interface Entry {
  id: string;
  document: Document | undefined;
  deletedId: string | undefined;
  deletedAt: number;
}

export interface App {
  id: string;
  apiKey: string;
  authTokens: Map<string, AuthToken>;
  organizations: Map<string, Organization>;
}

export interface VeltStore extends VariantStore<Seed> {
  /** The app whose API key this is. */
  app(apiKey: string): Awaitable<AppRef | undefined>;
  /** The app whose API key and (unexpired) auth token these are; both must belong to the same app. */
  authenticate(apiKey: string, token: string): Awaitable<AppRef | undefined>;
  /**
   * Deletes the documents of one of the app's organizations, handing each distinct ID's result to `report`, in
   * request order; false when the app has no such organization. An ID with no document still succeeds, with the
   * Velt ID it had or would have. Reported rather than collected: the handler writes the answer's JSON text as it
   * goes (deleteDocuments.ts says why).
   */
  deleteDocuments(app: AppRef, organizationId: string, documentIds: string[], report: Report): Awaitable<boolean>;
}

/** One distinct ID's result: the Velt ID it has or would have, and whether this request deleted its document. */
export type Report = (id: string, veltId: string, deleted: boolean) => void;

/** An app as handlers see it: each store keeps what else it needs beside the ID. */
export type AppRef = Pick<App, 'id'>;

export class MemoryVeltStore implements VeltStore {
  private readonly apps = new Map<string, App>();
  private readonly byApiKey = new Map<string, App>();

  constructor(private readonly clock: Clock) {}

  merge(seed: Seed): string | undefined {
    for (const a of seed.apps) {
      const existing = this.apps.get(a.id);
      if (existing && existing.apiKey !== a.apiKey)
        return `App ${a.id} has API key ${existing.apiKey}, not ${a.apiKey}`;
      const owner = this.byApiKey.get(a.apiKey);
      if (owner && owner.id !== a.id) return `API key ${a.apiKey} already belongs to app ${owner.id}`;
      for (const org of a.organizations) {
        const entries = existing?.organizations.get(org.id)?.entries;
        const live = entries && { has: (id: string) => entries.get(id)?.document !== undefined };
        const duplicate = duplicateId(org.documents, live);
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
          entries: new Map<string, Entry>(),
          deletes: 0,
        }));
        const { entries } = organization;
        for (const doc of org.deletedDocuments ?? []) {
          const entry = getOrCreate(entries, doc.id, () => newEntry(doc.id, undefined));
          if (entry.deletedId === undefined) entry.deletedAt = organization.deletes++;
          entry.deletedId = doc.internalId;
        }
        for (const doc of org.documents) {
          const document = { ...doc, internalId: doc.internalId ?? internalId(org.id, doc.id) };
          const entry = entries.get(doc.id);
          if (entry && !entry.document) entries.delete(doc.id);
          entries.set(doc.id, entry ? { ...entry, document } : newEntry(doc.id, document));
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
        organizations: [...app.organizations.values()].map((org) => {
          const entries = [...org.entries.values()];
          const deleted = entries
            .filter((e) => e.deletedId !== undefined)
            .sort((a, b) => a.deletedAt - b.deletedAt)
            .map((e) => ({ id: e.id, internalId: e.deletedId! }));
          return {
            id: org.id,
            ...(deleted.length > 0 ? { deletedDocuments: deleted } : {}),
            documents: entries.flatMap((e) => (e.document ? [e.document] : [])),
          };
        }),
      })),
    };
  }

  deleteDocuments(app: AppRef, organizationId: string, documentIds: string[], report: Report): boolean {
    const organization = (app as App).organizations.get(organizationId);
    if (!organization) return false;
    // A Set keeps the first of each ID, in request order.
    for (const id of new Set(documentIds)) {
      const entry = organization.entries.get(id);
      if (entry?.document) {
        const { internalId } = entry.document;
        entry.document = undefined;
        if (entry.deletedId === undefined) entry.deletedAt = organization.deletes++;
        entry.deletedId = internalId;
        report(id, internalId, true);
      } else {
        report(id, entry?.deletedId ?? internalId(organization.id, id), false);
      }
    }
    return true;
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

function newEntry(id: string, document: Document | undefined): Entry {
  return { id, document, deletedId: undefined, deletedAt: -1 };
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
