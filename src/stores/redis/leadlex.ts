/**
 * LeadLex's state on Redis, with the in-memory store's semantics (src/variants/leadlex/store.ts). Tenant = workspace.
 *   P{leadlex}:keys         hash  API key → {workspace, key}
 *   P{leadlex}:tenants      zset  workspace IDs in seed order; P{leadlex}:seq its counter
 *   P{leadlex:<ws>}:keys    list  the workspace's keys (for the snapshot)
 *   …:docs / …:objects      hash  ID → [seq, document] / storage key → [seq, object]
 *   …:purges                zset  storage key → due (ms): the purge schedule
 *   …:audit                 list  audit entries
 *   …:rl:<key>              hash  the key's fixed rate-limit window {start, count}, expiring with the window
 *   …:idem:<key>:<idem>     hash  an Idempotency-Key record {path, hard, expiresAt, token, response}, 24 h
 * A workspace's due purges are carried out by its next delete, a state read and a clock advance (the in-memory
 * store runs them for every workspace on any delete; the audit entries' times may differ, nothing else).
 */
import type { MockResponse } from '../../mock/types.js';
import {
  type AuditEntry,
  DEFAULT_RATE_LIMIT,
  type DeleteResult,
  type Document,
  IDEMPOTENCY_TTL_MS,
  type Key,
  type LeadlexStore,
  type Principal,
  PURGE_DELAY_MS,
  type RateLimitWindow,
  type Reservation,
  type Seed,
  type StorageObject,
} from '../../variants/leadlex/store.js';
import type { SharedClock } from './clock.js';
import { entry, LUA_ENTRY, ordered, type RedisConnection, type Script } from './connection.js';
import { RedisVariantStore } from './variant.js';

/** A key's principal here: the key, its workspace's ID, and now as the request's first round trip read it. */
interface RedisPrincipal extends Principal {
  workspace: string;
  now: number;
}

/** Where the reserved record is and the token that proves this request made it. */
interface IdempotencyRecord {
  key: string;
  token: string;
}

/** Carries out the tenant's due purges (KEYS objects, purges, audit; `now` ms, `iso` its ISO form). */
const LUA_PURGE = `${LUA_ENTRY}
local function purge(objects, audit, e, iso, requestId)
  local o = e[2]
  o.status = 'purged'
  o.purgedAt = iso
  redis.call('HSET', objects, o.key, cjson.encode(e))
  redis.call('RPUSH', audit, cjson.encode({at = iso, action = 'document.purged', documentId = o.documentId,
    requestId = requestId}))
end
local function purge_due(objects, purges, audit, now, iso)
  for _, k in ipairs(redis.call('ZRANGEBYSCORE', purges, '-inf', now)) do
    local e = entry(objects, k)
    if e and e[2].status == 'scheduled' then purge(objects, audit, e, iso, 'purge-scheduler') end
    redis.call('ZREM', purges, k)
  end
end
`;

/** KEYS objects, purges, audit; ARGV now, iso. */
const PURGE_DUE = `${LUA_PURGE}
purge_due(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[1]), ARGV[2])
return 0`;

/**
 * KEYS docs, objects, purges, audit; ARGV now, iso, id, hard (1/0), permissions (space-separated), requestId,
 * purgeAt (ms), purgeAt (ISO). The whole delete of deleteDocument.ts, in its order, as one step.
 */
const DELETE = `${LUA_PURGE}
local docs, objects, purges, audit = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, iso, id, hard, requestId = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4] == '1', ARGV[6]
purge_due(objects, purges, audit, now, iso)
local needed = hard and 'admin:documents' or 'write:documents'
if not string.find(' ' .. ARGV[5] .. ' ', ' ' .. needed .. ' ', 1, true) then return {'forbidden', needed} end
local e = entry(docs, id)
if not e then return {'not_found'} end
local doc = e[2]
if doc.referencedBy and #doc.referencedBy > 0 then
  local refs = {}
  for i, r in ipairs(doc.referencedBy) do refs[i] = r.kind .. ' ' .. r.id end
  return {'in_use', table.concat(refs, ', ')}
end
redis.call('HDEL', docs, id)
redis.call('RPUSH', audit, cjson.encode({at = iso, action = 'document.deleted', documentId = id, requestId = requestId,
  hard = hard, entityLinksDetached = doc.entityLinks and #doc.entityLinks or 0}))
local o = doc.storageKey and entry(objects, doc.storageKey)
if o and o[2].status == 'stored' then
  if hard then
    purge(objects, audit, o, iso, requestId)
  else
    o[2].status = 'scheduled'
    o[2].purgeAt = ARGV[8]
    redis.call('HSET', objects, doc.storageKey, cjson.encode(o))
    redis.call('ZADD', purges, ARGV[7], doc.storageKey)
  end
end
return {'deleted'}`;

/** KEYS window; ARGV now, limit, window (ms). The in-memory `consume`: returns allowed (1/0), count, start. */
const CONSUME = `
local now, limit, ms = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local w = redis.call('HMGET', KEYS[1], 'start', 'count')
local start, count = tonumber(w[1]), tonumber(w[2])
if not start or now >= start + ms then
  start = now - now % ms
  count = 0
end
local allowed = count < limit
if allowed then count = count + 1 end
redis.call('HSET', KEYS[1], 'start', start, 'count', count)
redis.call('PEXPIRE', KEYS[1], start + ms - now + 1000)
return {allowed and 1 or 0, count, start}`;

/**
 * KEYS record; ARGV now, path, hard (1/0), ttl (ms), token. IETF Idempotency-Key draft 2.6/2.7, as in memory:
 * new (reserved), in-flight, mismatch, or replay with the stored response. Expires in Redis after 24 h too.
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local r = redis.call('HMGET', KEYS[1], 'path', 'hard', 'expiresAt', 'response')
if r[3] and tonumber(r[3]) > now then
  if r[1] ~= ARGV[2] or r[2] ~= ARGV[3] then return {'mismatch'} end
  if r[4] then return {'replay', r[4]} end
  return {'in-flight'}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'path', ARGV[2], 'hard', ARGV[3], 'expiresAt', now + tonumber(ARGV[4]), 'token', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {'new'}`;

/** KEYS record; ARGV token, response: stored once, and only in the record this request reserved. */
const COMPLETE = `
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then redis.call('HSETNX', KEYS[1], 'response', ARGV[2]) end
return 0`;

export class LeadlexRedisStore extends RedisVariantStore<Seed> implements LeadlexStore {
  private readonly purgeDue: Script;
  private readonly delete: Script;
  private readonly consumeScript: Script;
  private readonly reserve: Script;
  private readonly complete: Script;

  constructor(
    connection: RedisConnection,
    readonly clock: SharedClock,
  ) {
    super(connection, 'leadlex');
    this.purgeDue = connection.script(3, PURGE_DUE);
    this.delete = connection.script(4, DELETE);
    this.consumeScript = connection.script(1, CONSUME);
    this.reserve = connection.script(1, RESERVE);
    this.complete = connection.script(1, COMPLETE);
  }

  /** A document ID already in its workspace is refused. */
  async mergeLocked(seed: Seed): Promise<string | undefined> {
    for (const ws of seed.workspaces) {
      const id = await this.duplicate(
        `${this.tenant(ws.id)}docs`,
        ws.documents.map((doc) => doc.id),
      );
      if (id !== undefined) return `Document ${id} already exists in ${ws.id}`;
    }
    for (const ws of seed.workspaces) await this.mergeWorkspace(ws);
    return undefined;
  }

  /** A new workspace brings its objects and audit log; each document gets its object (made if missing). */
  private async mergeWorkspace(ws: Seed['workspaces'][number]): Promise<void> {
    const t = this.tenant(ws.id);
    const stored = ws.documents.flatMap((doc) => (doc.storageKey ? [doc.storageKey] : []));
    const known = await this.connection.fields(`${t}objects`, stored);
    let seq = await this.connection.reserve(`${t}seq`, ws.documents.length * 2 + (ws.objects?.length ?? 0));
    const { tx, index } = this.write();
    const present = new Set(stored.filter((_, i) => known[i] != null));
    if (await this.addTenant(index, ws.id)) {
      if (ws.auditLog?.length) tx.rpush(`${t}audit`, ...ws.auditLog.map((e) => JSON.stringify(e)));
      for (const object of ws.objects ?? []) {
        present.add(object.key);
        tx.hset(`${t}objects`, object.key, entry(seq++, object));
        if (object.status === 'scheduled') tx.zadd(`${t}purges`, Date.parse(object.purgeAt!), object.key);
      }
    }
    const keys = ws.keys.map((key) => ({
      key: key.key,
      value: JSON.stringify({ workspace: ws.id, key }),
      listed: JSON.stringify(key),
    }));
    await this.addKeys(tx, index, ws.id, keys);
    for (const doc of ws.documents) {
      if (doc.storageKey && !present.has(doc.storageKey)) {
        present.add(doc.storageKey);
        tx.hset(
          `${t}objects`,
          doc.storageKey,
          entry(seq++, { key: doc.storageKey, documentId: doc.id, status: 'stored' }),
        );
      }
      tx.hset(`${t}docs`, doc.id, entry(seq++, doc));
    }
    await this.commit(tx, index);
  }

  /** The state in the seed's shape, after carrying out every due purge. */
  async snapshot(): Promise<Seed> {
    const { client } = this.connection;
    await this.tick();
    return {
      workspaces: await this.eachTenant(async (id, t) => {
        const [keys, docs, objects, audit] = await Promise.all([
          client.lrange(`${t}keys`, 0, -1),
          client.hgetall(`${t}docs`),
          client.hgetall(`${t}objects`),
          client.lrange(`${t}audit`, 0, -1),
        ]);
        return {
          id,
          keys: keys.map((k) => JSON.parse(k) as Key),
          documents: ordered<Document>(docs),
          objects: ordered<StorageObject>(objects),
          auditLog: audit.map((e) => JSON.parse(e) as AuditEntry),
        };
      }),
    };
  }

  /** The key's principal, unless it is unknown or expired; the shared clock is read in the same round trip. */
  async authenticate(token: string): Promise<RedisPrincipal | undefined> {
    const [now, found] = await Promise.all([
      this.clock.shared(),
      this.connection.client.hget(`${this.index}keys`, token),
    ]);
    if (found === null) return undefined;
    const { workspace, key } = JSON.parse(found) as RedisPrincipal;
    return key.expiresAt && Date.parse(key.expiresAt) <= now ? undefined : { workspace, key, now };
  }

  /** Fixed-window rate limit per key, shared by every replica. */
  async consume(principal: Principal): Promise<RateLimitWindow> {
    const { workspace, key, now } = principal as RedisPrincipal;
    const { limit, windowSeconds } = key.rateLimit ?? DEFAULT_RATE_LIMIT;
    const windowMs = windowSeconds * 1000;
    const keyName = `${this.tenant(workspace)}rl:${encodeURIComponent(key.key)}`;
    const [allowed, count, start] = (await this.consumeScript([keyName], [now, limit, windowMs])) as number[];
    return { limit, remaining: limit - count!, reset: Math.ceil((start! + windowMs) / 1000), allowed: allowed === 1 };
  }

  async reserveIdempotencyKey(
    principal: Principal,
    idempotencyKey: string,
    path: string,
    hard: boolean,
  ): Promise<Reservation> {
    const { workspace, key, now } = principal as RedisPrincipal;
    const record: IdempotencyRecord = {
      key: `${this.tenant(workspace)}idem:${encodeURIComponent(key.key)}:${encodeURIComponent(idempotencyKey)}`,
      token: crypto.randomUUID(),
    };
    const [kind, response] = (await this.reserve(
      [record.key],
      [now, path, hard ? 1 : 0, IDEMPOTENCY_TTL_MS, record.token],
    )) as string[];
    if (kind === 'new') return { kind, record };
    if (kind === 'replay') return { kind, response: JSON.parse(response!) as MockResponse };
    return { kind: kind as 'in-flight' | 'mismatch' };
  }

  async completeIdempotencyKey(record: object, response: MockResponse): Promise<void> {
    const { key, token } = record as IdempotencyRecord;
    await this.complete([key], [token, JSON.stringify(response)]);
  }

  /** Permission check, lookup, in-use check, delete, audit entry and purge schedule (or hard purge): one step. */
  async deleteDocument(principal: Principal, id: string, hard: boolean, requestId: string): Promise<DeleteResult> {
    const { workspace, key, now } = principal as RedisPrincipal;
    const t = this.tenant(workspace);
    const due = now + PURGE_DELAY_MS;
    const [kind, detail] = (await this.delete(
      [`${t}docs`, `${t}objects`, `${t}purges`, `${t}audit`],
      [now, iso(now), id, hard ? 1 : 0, key.permissions.join(' '), requestId, due, iso(due)],
    )) as string[];
    if (kind === 'forbidden') return { kind, needed: detail as 'write:documents' | 'admin:documents' };
    if (kind === 'in_use') return { kind, references: detail! };
    return { kind: kind as 'deleted' | 'not_found' };
  }

  /** Carries out every workspace's due purges. */
  async tick(): Promise<void> {
    const now = await this.clock.shared();
    await this.eachTenant((_, t) => this.purgeDue([`${t}objects`, `${t}purges`, `${t}audit`], [now, iso(now)]));
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
