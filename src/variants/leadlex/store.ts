/**
 * LeadLex's state: workspaces with API keys, documents (entity links, workflow/template references),
 * object-storage objects with their purge schedule, and the audit log. A key reaches only its own workspace.
 */
import type { components } from '../../../generated/mock-admin/types.js';
import type { Awaitable } from '../../mock/awaitable.js';
import type { Clock } from '../../mock/clock.js';
import type { MockResponse, VariantStore } from '../../mock/types.js';
import { duplicateId, getOrCreate } from '../stores.js';

export type Seed = components['schemas']['LeadlexSeed'];
type SeedWorkspace = Seed['workspaces'][number];
export type Key = SeedWorkspace['keys'][number];
export type Document = SeedWorkspace['documents'][number];
export type StorageObject = NonNullable<SeedWorkspace['objects']>[number];
export type AuditEntry = NonNullable<SeedWorkspace['auditLog']>[number];

/** The page: "the object-storage bytes are scheduled for deletion within 1 hour". */
export const PURGE_DELAY_MS = 60 * 60 * 1000;
/** Demo keys without their own limit get this one: generous enough for load tests. */
export const DEFAULT_RATE_LIMIT = { limit: 1_000_000, windowSeconds: 60 };
/** Idempotency records live 24 hours and at most this many are kept (oldest dropped first). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_MAX_RECORDS = 10_000;

/**
 * A document and the object holding its bytes (if it has any), found together: a delete then needs one lookup in
 * a large map, not two (each costs several cache misses in a map of hundreds of thousands of entries).
 */
export interface StoredDocument {
  doc: Document;
  object: StorageObject | undefined;
}

export interface Workspace {
  id: string;
  keys: Key[];
  documents: Map<string, StoredDocument>;
  objects: Map<string, StorageObject>;
  auditLog: AuditEntry[];
}

/** Who a request is, as handlers see it: its key. Each store keeps beside it what it needs to find the workspace. */
export interface Principal {
  key: Key;
}

/** The in-memory store's principal: the key and its workspace. */
interface MemoryPrincipal extends Principal {
  workspace: Workspace;
}

export type Reservation =
  /** `record`: the store's own, handed back to `completeIdempotencyKey`. */
  | { kind: 'new'; record: object }
  | { kind: 'in-flight' }
  | { kind: 'mismatch' }
  | { kind: 'replay'; response: MockResponse };
// The answers without data, made once: this runs on every request that has an Idempotency-Key.
const IN_FLIGHT: Reservation = Object.freeze({ kind: 'in-flight' });
const MISMATCH: Reservation = Object.freeze({ kind: 'mismatch' });

/** A delete's outcome, checked in the page's order: permission, existence in the key's workspace, references. */
export type DeleteResult =
  | { kind: 'deleted' }
  | { kind: 'forbidden'; needed: 'write:documents' | 'admin:documents' }
  | { kind: 'not_found' }
  | { kind: 'in_use'; references: string };
const DELETED: DeleteResult = Object.freeze({ kind: 'deleted' });
const NOT_FOUND: DeleteResult = Object.freeze({ kind: 'not_found' });

/** One delete request, as the store takes it. */
export interface DeleteRequest {
  documentId: string;
  hard: boolean;
  requestId: string;
  /** Its Idempotency-Key, if it has one, and its path (with `hard`, what a replay must match). */
  idempotency?: { key: string; path: string } | undefined;
}

/**
 * What a delete request comes to: the Idempotency-Key's answer when the key was already used, else the delete's
 * outcome, with the reservation's `record` (for `completeIdempotencyKey`) when it reserved a key.
 */
export type DeleteOutcome = Exclude<Reservation, { kind: 'new' }> | (DeleteResult & { record?: object });

export interface RateLimitWindow {
  limit: number;
  remaining: number;
  /** When the window ends, in Unix seconds. */
  reset: number;
  allowed: boolean;
}

/**
 * What an Idempotency-Key was first used for, and the answer once there is one. The request's path and `hard`
 * are its fingerprint (the operation is always DELETE), kept as they are rather than joined into a string.
 */
export interface IdempotencyRecord {
  /** The records of the API key that made it: idempotency keys are scoped per client. */
  scope: Map<string, IdempotencyRecord>;
  idempotencyKey: string;
  path: string;
  hard: boolean;
  expiresAt: number;
  response: MockResponse | undefined;
  /** A newer record took its key after it expired: dropping this one must leave that one in place. */
  replaced: boolean;
}

/** Each request's change is one call, so that another implementation (a shared store) can make each atomic. */
export interface LeadlexStore extends VariantStore<Seed> {
  readonly clock: Clock;
  authenticate(token: string): Awaitable<Principal | undefined>;
  /** Counts a request against the key's fixed-window rate limit. */
  consume(principal: Principal): Awaitable<RateLimitWindow>;
  /**
   * Reserves the request's Idempotency-Key, if it has one (scoped to the principal's API key), or says why not, or
   * hands back the answer; then runs due purges and deletes the document if the key may: removes the row,
   * detaches its links, writes the audit entry and schedules (or, hard, performs) the purge of its bytes. One
   * step: no reservation is left behind without its delete.
   */
  deleteDocument(principal: Principal, request: DeleteRequest): Awaitable<DeleteOutcome>;
  /** Stores the answer a reservation's request got, for its replays. */
  completeIdempotencyKey(record: object, response: MockResponse): Awaitable<void>;
}

export class MemoryLeadlexStore implements LeadlexStore {
  readonly workspaces = new Map<string, Workspace>();
  private readonly keys = new Map<string, MemoryPrincipal>();
  /**
   * Scheduled objects in purge order: purgeAt is now + 1h on a clock that never goes back, so FIFO is sorted.
   * `due` is purgeAt in milliseconds, so the check on every request parses no date.
   */
  private purgeQueue: { workspace: Workspace; object: StorageObject; due: number }[] = [];
  private purgeHead = 0;
  private readonly windows = new Map<string, { start: number; count: number }>();
  /** API key → Idempotency-Key → record. */
  private readonly idempotency = new Map<string, Map<string, IdempotencyRecord>>();
  /**
   * Every record in the order made, IDEMPOTENCY_MAX_RECORDS at most: the slot written next holds the oldest, which
   * is dropped (unless a newer record has since replaced it) when its slot is taken. A ring rather than the Map's
   * own order, so that dropping needs no iterator and no joined API-key/Idempotency-Key string.
   */
  private readonly records: IdempotencyRecord[] = [];
  private nextRecord = 0;

  constructor(readonly clock: Clock) {}

  /** Adds workspaces, keys and documents; a document ID already in its workspace is refused, changing nothing. */
  merge(seed: Seed): string | undefined {
    for (const ws of seed.workspaces) {
      const duplicate = duplicateId(ws.documents, this.workspaces.get(ws.id)?.documents);
      if (duplicate) return `Document ${duplicate} already exists in ${ws.id}`;
    }
    for (const ws of seed.workspaces) {
      let workspace = this.workspaces.get(ws.id);
      if (!workspace) {
        workspace = {
          id: ws.id,
          keys: [],
          documents: new Map(),
          objects: new Map(),
          auditLog: [...(ws.auditLog ?? [])],
        };
        this.workspaces.set(ws.id, workspace);
        for (const object of ws.objects ?? []) this.addObject(workspace, { ...object });
      }
      for (const key of ws.keys) {
        if (this.keys.has(key.key)) continue;
        workspace.keys.push(key);
        this.keys.set(key.key, { workspace, key });
      }
      for (const doc of ws.documents) {
        let object = doc.storageKey ? workspace.objects.get(doc.storageKey) : undefined;
        if (doc.storageKey && !object) {
          object = { key: doc.storageKey, documentId: doc.id, status: 'stored' };
          workspace.objects.set(doc.storageKey, object);
        }
        workspace.documents.set(doc.id, { doc, object });
      }
    }
    return undefined;
  }

  private addObject(workspace: Workspace, object: StorageObject): void {
    workspace.objects.set(object.key, object);
    if (object.status !== 'scheduled') return;
    // A seeded schedule can come in any order: keep the pending part of the queue sorted by purge time.
    const pending = [...this.purgeQueue.slice(this.purgeHead), { workspace, object, due: Date.parse(object.purgeAt!) }];
    pending.sort((a, b) => a.due - b.due);
    this.purgeQueue = pending;
    this.purgeHead = 0;
  }

  snapshot(): Seed {
    return {
      workspaces: [...this.workspaces.values()].map((ws) => ({
        id: ws.id,
        keys: ws.keys,
        documents: Array.from(ws.documents.values(), (stored) => stored.doc),
        objects: [...ws.objects.values()],
        auditLog: ws.auditLog,
      })),
    };
  }

  authenticate(token: string): MemoryPrincipal | undefined {
    const principal = this.keys.get(token);
    if (!principal) return undefined;
    const { expiresAt } = principal.key;
    if (expiresAt && Date.parse(expiresAt) <= this.clock.now()) return undefined;
    return principal;
  }

  /** Fixed-window rate limit per key; the window's numbers go in the response headers. */
  consume({ key }: Principal): RateLimitWindow {
    const { limit, windowSeconds } = key.rateLimit ?? DEFAULT_RATE_LIMIT;
    const now = this.clock.now();
    const windowMs = windowSeconds * 1000;
    let window = this.windows.get(key.key);
    if (!window || now >= window.start + windowMs) {
      window = { start: now - (now % windowMs), count: 0 };
      this.windows.set(key.key, window);
    }
    const allowed = window.count < limit;
    if (allowed) window.count++;
    return { limit, remaining: limit - window.count, reset: Math.ceil((window.start + windowMs) / 1000), allowed };
  }

  /**
   * IETF Idempotency-Key draft, section 2.6/2.7: the first request with a key reserves it; a request that finds
   * it reserved is `in-flight` (409), one for another path or `hard` is `mismatch` (422), one after completion
   * gets the stored response. Keys are scoped to the API key that sent them.
   */
  reserveIdempotencyKey({ key }: Principal, idempotencyKey: string, path: string, hard: boolean): Reservation {
    const now = this.clock.now();
    const scope = getOrCreate(this.idempotency, key.key, () => new Map<string, IdempotencyRecord>());
    const record = scope.get(idempotencyKey);
    if (record && record.expiresAt > now) {
      if (record.path !== path || record.hard !== hard) return MISMATCH;
      return record.response ? { kind: 'replay', response: record.response } : IN_FLIGHT;
    }
    if (record) record.replaced = true;
    const made: IdempotencyRecord = {
      scope,
      idempotencyKey,
      path,
      hard,
      expiresAt: now + IDEMPOTENCY_TTL_MS,
      response: undefined,
      replaced: false,
    };
    scope.set(idempotencyKey, made);
    const oldest = this.records[this.nextRecord];
    if (oldest && !oldest.replaced) oldest.scope.delete(oldest.idempotencyKey);
    this.records[this.nextRecord] = made;
    this.nextRecord = (this.nextRecord + 1) % IDEMPOTENCY_MAX_RECORDS;
    return { kind: 'new', record: made };
  }

  /**
   * The answer to replay, stored in the record the request reserved, not looked up again by key: by then a
   * full ring may have dropped that record and a new request taken its key, whose record is not this answer's.
   */
  completeIdempotencyKey(record: object, response: MockResponse): void {
    (record as IdempotencyRecord).response ??= response;
  }

  deleteDocument(principal: Principal, { documentId, hard, requestId, idempotency }: DeleteRequest): DeleteOutcome {
    if (!idempotency) return this.delete(principal, documentId, hard, requestId);
    const reservation = this.reserveIdempotencyKey(principal, idempotency.key, idempotency.path, hard);
    if (reservation.kind !== 'new') return reservation;
    return { ...this.delete(principal, documentId, hard, requestId), record: reservation.record };
  }

  private delete(principal: Principal, documentId: string, hard: boolean, requestId: string): DeleteResult {
    const { workspace, key } = principal as MemoryPrincipal;
    this.tick();
    const needed = hard ? 'admin:documents' : 'write:documents';
    if (!key.permissions.includes(needed)) return { kind: 'forbidden', needed };
    const stored = workspace.documents.get(documentId);
    if (!stored) return NOT_FOUND;
    const refs = stored.doc.referencedBy;
    if (refs && refs.length > 0) return { kind: 'in_use', references: refs.map((r) => `${r.kind} ${r.id}`).join(', ') };
    this.remove(workspace, stored, hard, requestId);
    return DELETED;
  }

  /** Removes the row, detaches its links and schedules (or, hard, performs) the purge of its bytes. */
  private remove(workspace: Workspace, { doc, object }: StoredDocument, hard: boolean, requestId: string): void {
    const now = this.clock.now();
    workspace.documents.delete(doc.id);
    workspace.auditLog.push({
      at: auditTime(now),
      action: 'document.deleted',
      documentId: doc.id,
      requestId,
      hard,
      entityLinksDetached: doc.entityLinks?.length ?? 0,
    });
    if (object?.status !== 'stored') return;
    if (hard) {
      this.purge(workspace, object, now, requestId);
    } else {
      object.status = 'scheduled';
      object.purgeAt = purgeTime(now + PURGE_DELAY_MS);
      this.purgeQueue.push({ workspace, object, due: now + PURGE_DELAY_MS });
    }
  }

  /** Carries out every purge that has come due. Cheap when none has: it looks at the head of the queue only. */
  tick(): void {
    const now = this.clock.now();
    while (this.purgeHead < this.purgeQueue.length) {
      const { workspace, object, due } = this.purgeQueue[this.purgeHead]!;
      if (object.status === 'scheduled' && due > now) break;
      if (object.status === 'scheduled') this.purge(workspace, object, now, 'purge-scheduler');
      this.purgeHead++;
    }
    if (this.purgeHead > 1024 && this.purgeHead * 2 > this.purgeQueue.length) {
      this.purgeQueue = this.purgeQueue.slice(this.purgeHead);
      this.purgeHead = 0;
    }
  }

  private purge(workspace: Workspace, object: StorageObject, now: number, requestId: string): void {
    object.status = 'purged';
    object.purgedAt = auditTime(now);
    workspace.auditLog.push({
      at: object.purgedAt,
      action: 'document.purged',
      documentId: object.documentId,
      requestId,
    });
  }
}

/**
 * `new Date(ms).toISOString()` that remembers its last answer: under load many requests fall in the same
 * millisecond, and they then share one string instead of formatting (and keeping) a copy each.
 */
function isoTime(): (ms: number) => string {
  let lastMs = NaN;
  let lastIso = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastIso = new Date(ms).toISOString();
      lastMs = ms;
    }
    return lastIso;
  };
}
const auditTime = isoTime();
const purgeTime = isoTime();
