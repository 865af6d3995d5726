/**
 * LeadLex's state on Redis, with the in-memory store's semantics (src/variants/leadlex/store.ts). Tenant = workspace.
 *   P{leadlex}:keys         hash  API key → {workspace, key}: which workspace to look in (cached per replica)
 *   P{leadlex}:tenants      zset  workspace IDs in seed order; P{leadlex}:seq its counter
 *   P{leadlex:<ws>}:auth    hash  API key → [seq, key, expires (ms) or nil]: the workspace's keys, authoritative
 *   …:clock                 string the mock clock's offset, a copy of `P clock` (clock.ts)
 *   …:docs / …:objects      hash  ID → [seq, document] / storage key → [seq, object]
 *   …:purges                zset  storage key → due (ms): the purge schedule
 *   …:audit                 list  audit entries
 *   …:rl                    hash  API key → "start count": its fixed rate-limit window
 *   …:idem / …:idemq        hash / zset  "<API key> <Idempotency-Key>" → record {path, hard, token, response} /
 *                                  "<seq> <API key> <Idempotency-Key>" → its expiry (ms): 24 h, and at most
 *                                  IDEMPOTENCY_MAX_RECORDS per workspace (in memory: in all)
 * A workspace's due purges are carried out by its next delete, a state read and a clock advance (the in-memory
 * store runs them for every workspace on any delete; the audit entries' times may differ, nothing else).
 *
 * The hot path is two round trips: `authenticate` runs AUTHORIZE in the key's workspace (found in a per-replica
 * cache of `P{leadlex}:keys`, which only names the workspace to look in: the workspace's `auth` hash decides),
 * which reads the clock, checks the key and counts the request against its rate limit, all at once; the runtime
 * always calls `consume` next, which hands that count back. Then DELETE, with the Idempotency-Key's reservation
 * when there is one; such a request adds COMPLETE.
 */
import type { MockResponse } from '../../mock/types.js';
import {
  type AuditEntry,
  DEFAULT_RATE_LIMIT,
  type DeleteOutcome,
  type DeleteRequest,
  type Document,
  IDEMPOTENCY_MAX_RECORDS,
  IDEMPOTENCY_TTL_MS,
  type Key,
  type LeadlexStore,
  type Principal,
  PURGE_DELAY_MS,
  type RateLimitWindow,
  type Seed,
  type StorageObject,
} from '../../variants/leadlex/store.js';
import { LUA_NOW, type SharedClock } from './clock.js';
import { entry, LUA_ENTRY, ordered, type RedisConnection, type Script } from './connection.js';
import { RedisVariantStore } from './variant.js';

/** A key's principal here: the key, its workspace, and now and the rate-limit count as AUTHORIZE read them. */
interface RedisPrincipal extends Principal {
  workspace: string;
  now: number;
  window: RateLimitWindow;
}

/** Where a key's workspace is: what `P{leadlex}:keys` holds, and the per-replica cache keeps. */
interface KeyIndexEntry {
  workspace: string;
  key: Key;
}

/** The cache of KeyIndexEntry is dropped whole past this size: keys are few, guessed tokens are never cached. */
const MAX_CACHED_KEYS = 100_000;

/** Where the reserved record is and the token that proves this request made it. */
interface IdempotencyRecord {
  workspace: string;
  field: string;
  token: string;
}

/**
 * KEYS auth, clock, rl; ARGV API key, default limit, default window (ms). The key's check and its rate limit, as
 * the in-memory `authenticate` then `consume`: `unknown` (not in this workspace), `expired`, or
 * `ok`, now, allowed (1/0), limit, count, window start, window (ms).
 */
const AUTHORIZE = `${LUA_NOW}
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return {'unknown'} end
local now = now_ms(KEYS[2])
local e = cjson.decode(v)
if e[3] and e[3] <= now then return {'expired'} end
local rl = e[2].rateLimit
local limit = rl and rl.limit or tonumber(ARGV[2])
local ms = rl and rl.windowSeconds * 1000 or tonumber(ARGV[3])
local w = redis.call('HGET', KEYS[3], ARGV[1])
local start, count
if w then
  local sep = string.find(w, ' ', 1, true)
  start, count = tonumber(string.sub(w, 1, sep - 1)), tonumber(string.sub(w, sep + 1))
end
if not start or now >= start + ms then
  start = now - now % ms
  count = 0
end
local allowed = count < limit
if allowed then count = count + 1 end
redis.call('HSET', KEYS[3], ARGV[1], start .. ' ' .. count)
return {'ok', now, allowed and 1 or 0, limit, count, start, ms}`;

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
 * `reserve(idem, idemq, seq, now, field, path, hard, ttl, token, most)`: IETF Idempotency-Key draft 2.6/2.7, as in
 * memory: nil once reserved, else in-flight, mismatch, or replay with the stored response. Expired records go
 * first; a new record past the cap drops the oldest. `idemq` orders them by expiry, then (members start with a
 * zero-padded sequence number) by age, so records made in one millisecond also leave in the order made.
 */
const LUA_RESERVE = `
local function reserve(idem, idemq, seq, now, field, path, hard, ttl, token, most)
  local function drop(member) redis.call('HDEL', idem, string.sub(member, string.find(member, ' ', 1, true) + 1)) end
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', idemq, '-inf', now)) do drop(member) end
  redis.call('ZREMRANGEBYSCORE', idemq, '-inf', now)
  local v = redis.call('HGET', idem, field)
  if v then
    local r = cjson.decode(v)
    if r.path ~= path or r.hard ~= hard then return {'mismatch'} end
    if r.response then return {'replay', r.response} end
    return {'in-flight'}
  end
  redis.call('HSET', idem, field, cjson.encode({path = path, hard = hard, token = token}))
  redis.call('ZADD', idemq, now + ttl, string.format('%015d', redis.call('INCR', seq)) .. ' ' .. field)
  if redis.call('ZCARD', idemq) > most then drop(redis.call('ZPOPMIN', idemq)[1]) end
  return nil
end
`;

/**
 * KEYS docs, objects, purges, audit, auth, idem, idemq, seq; ARGV now, iso, id, hard (1/0), API key, requestId,
 * purgeAt (ms), purgeAt (ISO), then, with an Idempotency-Key, its record's field, the path, ttl (ms), token and
 * most records. The Idempotency-Key's reservation and the whole delete of deleteDocument.ts, in its order, as one
 * step; the key's permissions as `auth` has them.
 */
const DELETE = `${LUA_PURGE}${LUA_RESERVE}
local docs, objects, purges, audit = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, iso, id, hard, requestId = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4] == '1', ARGV[6]
if ARGV[9] then
  local answer = reserve(KEYS[6], KEYS[7], KEYS[8], now, ARGV[9], ARGV[10], ARGV[4], tonumber(ARGV[11]), ARGV[12],
    tonumber(ARGV[13]))
  if answer then return answer end
end
purge_due(objects, purges, audit, now, iso)
local needed = hard and 'admin:documents' or 'write:documents'
local key = entry(KEYS[5], ARGV[5])
local allowed = false
for _, p in ipairs(key and key[2].permissions or {}) do allowed = allowed or p == needed end
if not allowed then return {'forbidden', needed} end
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

/** KEYS idem; ARGV field, token, response: stored once, and only in the record this request reserved. */
const COMPLETE = `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local r = cjson.decode(v)
if r.token == ARGV[2] and not r.response then
  r.response = ARGV[3]
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(r))
end
return 0`;

export class LeadlexRedisStore extends RedisVariantStore<Seed> implements LeadlexStore {
  private readonly authorize: Script;
  private readonly purgeDue: Script;
  private readonly delete: Script;
  private readonly complete: Script;
  /** API key → where it is: saves each request the lookup in `P{leadlex}:keys` (see the top of this file). */
  private readonly located = new Map<string, KeyIndexEntry>();

  constructor(
    connection: RedisConnection,
    readonly clock: SharedClock,
  ) {
    super(connection, 'leadlex');
    this.authorize = connection.script(3, AUTHORIZE);
    this.purgeDue = connection.script(3, PURGE_DUE);
    this.delete = connection.script(8, DELETE);
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
    const { tx, index } = this.write();
    const added = await this.addKeys(
      index,
      ws.keys.map((key) => ({ key: key.key, value: JSON.stringify({ workspace: ws.id, key }), listed: key })),
    );
    let seq = await this.connection.reserve(
      `${t}seq`,
      ws.documents.length * 2 + (ws.objects?.length ?? 0) + added.length,
    );
    const present = new Set(stored.filter((_, i) => known[i] != null));
    if (await this.addTenant(index, ws.id)) {
      if (ws.auditLog?.length) tx.rpush(`${t}audit`, ...ws.auditLog.map((e) => JSON.stringify(e)));
      for (const object of ws.objects ?? []) {
        present.add(object.key);
        tx.hset(`${t}objects`, object.key, entry(seq++, object));
        if (object.status === 'scheduled') tx.zadd(`${t}purges`, Date.parse(object.purgeAt!), object.key);
      }
    }
    for (const { listed: key } of added) {
      const expires = key.expiresAt === undefined ? [] : [Date.parse(key.expiresAt)];
      tx.hset(`${t}auth`, key.key, JSON.stringify([seq++, key, ...expires]));
    }
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
    await this.clock.join(`${t}clock`);
  }

  /** The state in the seed's shape, after carrying out every due purge. */
  async snapshot(): Promise<Seed> {
    const { client } = this.connection;
    await this.tick();
    return {
      workspaces: await this.eachTenant(async (id, t) => {
        const [keys, docs, objects, audit] = await Promise.all([
          client.hgetall(`${t}auth`),
          client.hgetall(`${t}docs`),
          client.hgetall(`${t}objects`),
          client.lrange(`${t}audit`, 0, -1),
        ]);
        return {
          id,
          keys: ordered<Key>(keys),
          documents: ordered<Document>(docs),
          objects: ordered<StorageObject>(objects),
          auditLog: audit.map((e) => JSON.parse(e) as AuditEntry),
        };
      }),
    };
  }

  /**
   * The key's principal, unless it is unknown or expired, with the request already counted against the key's
   * rate limit (`consume` hands the count back): one round trip when this replica has seen the key before.
   */
  async authenticate(token: string): Promise<RedisPrincipal | undefined> {
    const cached = this.located.get(token);
    if (cached) {
      const found = await this.authorizeIn(cached, token);
      if (found !== 'unknown') return found;
      this.located.delete(token);
    }
    const text = await this.connection.client.hget(`${this.index}keys`, token);
    if (text === null) return undefined;
    const located = JSON.parse(text) as KeyIndexEntry;
    if (this.located.size >= MAX_CACHED_KEYS) this.located.clear();
    this.located.set(token, located);
    const found = await this.authorizeIn(located, token);
    return found === 'unknown' ? undefined : found;
  }

  private async authorizeIn({ workspace, key }: KeyIndexEntry, token: string) {
    const t = this.tenant(workspace);
    const { limit, windowSeconds } = DEFAULT_RATE_LIMIT;
    const [kind, now, allowed, max, count, start, windowMs] = (await this.authorize(
      [`${t}auth`, `${t}clock`, `${t}rl`],
      [token, limit, windowSeconds * 1000],
    )) as [string, number, number, number, number, number, number];
    if (kind === 'unknown') return kind;
    if (kind === 'expired') return undefined;
    const window = {
      limit: max,
      remaining: max - count,
      reset: Math.ceil((start + windowMs) / 1000),
      allowed: !!allowed,
    };
    return { workspace, key, now, window };
  }

  /** Counted by `authenticate`, in the same step as the key's check. */
  consume(principal: Principal): RateLimitWindow {
    return (principal as RedisPrincipal).window;
  }

  async completeIdempotencyKey(record: object, response: MockResponse): Promise<void> {
    const { workspace, field, token } = record as IdempotencyRecord;
    await this.complete([`${this.tenant(workspace)}idem`], [field, token, JSON.stringify(response)]);
  }

  /** Reservation, permission check, lookup, in-use check, delete, audit entry and purge schedule: one step. */
  async deleteDocument(principal: Principal, request: DeleteRequest): Promise<DeleteOutcome> {
    const { workspace, key, now } = principal as RedisPrincipal;
    const { documentId, hard, requestId, idempotency } = request;
    const t = this.tenant(workspace);
    const due = now + PURGE_DELAY_MS;
    const args: (string | number)[] = [now, iso(now), documentId, hard ? 1 : 0, key.key, requestId, due, iso(due)];
    let record: IdempotencyRecord | undefined;
    if (idempotency) {
      const field = `${encodeURIComponent(key.key)} ${encodeURIComponent(idempotency.key)}`;
      record = { workspace, field, token: crypto.randomUUID() };
      args.push(field, idempotency.path, IDEMPOTENCY_TTL_MS, record.token, IDEMPOTENCY_MAX_RECORDS);
    }
    const [kind, detail] = (await this.delete(
      [`${t}docs`, `${t}objects`, `${t}purges`, `${t}audit`, `${t}auth`, `${t}idem`, `${t}idemq`, `${t}seq`],
      args,
    )) as string[];
    switch (kind) {
      case 'in-flight':
      case 'mismatch':
        return { kind };
      case 'replay':
        return { kind, response: JSON.parse(detail!) as MockResponse };
      case 'forbidden':
        return { kind, needed: detail as 'write:documents' | 'admin:documents', record };
      case 'in_use':
        return { kind, references: detail!, record };
      default:
        return { kind: kind as 'deleted' | 'not_found', record };
    }
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
