/**
 * Velt's state on Redis, with the in-memory store's semantics (src/variants/velt/store.ts). Tenant = app.
 *   P{velt}:apikeys                hash    API key → app
 *   P{velt}:tenants                zset    app IDs in seed order
 *   P{velt:<app>}:apiKey           string  the app's API key
 *   …:tokens                       hash    auth token → [seq, {token, expiresAt?}]
 *   …:orgs                         hash    organization ID → seq
 *   …:docs:<org> / …:deleted:<org> hash    document ID → [seq, document] / [seq, internal ID] of a deleted one
 */
import {
  type AppRef,
  type Document,
  internalId,
  type Report,
  type Seed,
  type VeltStore,
} from '../../variants/velt/store.js';
import type { SharedClock } from './clock.js';
import { entry, LUA_ENTRY, ordered, orderedFields, type RedisConnection, type Script } from './connection.js';
import { RedisVariantStore } from './variant.js';

/**
 * KEYS orgs, docs, deleted, seq; ARGV organization, then the (distinct) document IDs. The whole bulk delete in
 * one step: per ID, 1 and the deleted document's internal ID, or 0 and the one remembered from an earlier delete
 * ('' when none: the caller derives it, as Lua has no 64-bit integers for FNV-1a).
 */
const DELETE = `${LUA_ENTRY}
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return false end
local out = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  local e = entry(KEYS[2], id)
  if e then
    redis.call('HDEL', KEYS[2], id)
    local was = entry(KEYS[3], id)
    local seq = was and was[1] or redis.call('INCR', KEYS[4])
    redis.call('HSET', KEYS[3], id, cjson.encode({seq, e[2].internalId}))
    out[#out + 1] = 1
    out[#out + 1] = e[2].internalId
  else
    local was = entry(KEYS[3], id)
    out[#out + 1] = 0
    out[#out + 1] = was and was[2] or ''
  end
end
return out`;

type Token = Seed['apps'][number]['authTokens'][number];

export class VeltRedisStore extends RedisVariantStore<Seed> implements VeltStore {
  private readonly delete: Script;

  constructor(
    connection: RedisConnection,
    private readonly clock: SharedClock,
  ) {
    super(connection, 'velt');
    this.delete = connection.script(4, DELETE);
  }

  /** An app's other API key, a key of another app, or a document already in its organization is refused. */
  async mergeLocked(seed: Seed): Promise<string | undefined> {
    const { client } = this.connection;
    for (const a of seed.apps) {
      const apiKey = await client.get(`${this.tenant(a.id)}apiKey`);
      if (apiKey !== null && apiKey !== a.apiKey) return `App ${a.id} has API key ${apiKey}, not ${a.apiKey}`;
      const owner = (await this.app(a.apiKey))?.id;
      if (owner !== undefined && owner !== a.id) return `API key ${a.apiKey} already belongs to app ${owner}`;
      for (const org of a.organizations) {
        const id = await this.duplicate(
          apiKey === null ? undefined : this.docs(a.id, org.id),
          org.documents.map((d) => d.id),
        );
        if (id !== undefined) return `Document ${id} already exists in organization ${org.id}`;
      }
    }
    for (const a of seed.apps) await this.mergeApp(a);
    return undefined;
  }

  private docs(app: string, org: string): string {
    return `${this.tenant(app)}docs:${encodeURIComponent(org)}`;
  }

  private deleted(app: string, org: string): string {
    return `${this.tenant(app)}deleted:${encodeURIComponent(org)}`;
  }

  /** The seq of each field already in `hash`, or a new one: a field given again keeps its place, as Map.set does. */
  private async places(hash: string, fields: string[], next: () => number): Promise<number[]> {
    const found = await this.connection.fields(hash, fields);
    return fields.map((_, i) => (found[i] ? (JSON.parse(found[i]) as [number])[0] : next()));
  }

  private async mergeApp(a: Seed['apps'][number]): Promise<void> {
    const t = this.tenant(a.id);
    const size = a.organizations.reduce((n, o) => n + o.documents.length + (o.deletedDocuments?.length ?? 0) + 1, 0);
    let seq = await this.connection.reserve(`${t}seq`, size + a.authTokens.length);
    const next = () => seq++;
    const tokens = await this.places(
      `${t}tokens`,
      a.authTokens.map((token) => token.token),
      next,
    );
    const orgs = await this.places(
      `${t}orgs`,
      a.organizations.map((o) => o.id),
      next,
    );
    const { tx, index } = this.write();
    if (await this.addTenant(index, a.id)) {
      tx.set(`${t}apiKey`, a.apiKey);
      index.hset(`${this.index}apikeys`, a.apiKey, a.id);
    }
    for (const [i, token] of a.authTokens.entries()) tx.hset(`${t}tokens`, token.token, entry(tokens[i]!, token));
    for (const [i, org] of a.organizations.entries()) {
      tx.hset(`${t}orgs`, org.id, entry(orgs[i]!, {}));
      const deleted = org.deletedDocuments ?? [];
      const places = await this.places(
        this.deleted(a.id, org.id),
        deleted.map((d) => d.id),
        next,
      );
      for (const [j, doc] of deleted.entries())
        tx.hset(this.deleted(a.id, org.id), doc.id, entry(places[j]!, doc.internalId));
      for (const doc of org.documents) {
        const stored = { ...doc, internalId: doc.internalId ?? internalId(org.id, doc.id) };
        tx.hset(this.docs(a.id, org.id), doc.id, entry(seq++, stored));
      }
    }
    await this.commit(tx, index);
  }

  async snapshot(): Promise<Seed> {
    const { client } = this.connection;
    const organization = async (app: string, org: string) => {
      const [docs, deleted] = await Promise.all([
        client.hgetall(this.docs(app, org)),
        client.hgetall(this.deleted(app, org)),
      ]);
      const gone = orderedFields<string>(deleted).map(([id, internal]) => ({ id, internalId: internal }));
      return { id: org, ...(gone.length > 0 ? { deletedDocuments: gone } : {}), documents: ordered<Document>(docs) };
    };
    return {
      apps: await this.eachTenant(async (id, t) => {
        const [apiKey, tokens, orgs] = await Promise.all([
          client.get(`${t}apiKey`),
          client.hgetall(`${t}tokens`),
          client.hgetall(`${t}orgs`),
        ]);
        return {
          id,
          apiKey: apiKey ?? '',
          authTokens: ordered<Token>(tokens),
          organizations: await Promise.all(orderedFields(orgs).map(([org]) => organization(id, org))),
        };
      }),
    };
  }

  /** The app whose API key this is. */
  /** The app whose API key this is. */
  async app(apiKey: string): Promise<AppRef | undefined> {
    const id = await this.connection.client.hget(`${this.index}apikeys`, apiKey);
    return id === null ? undefined : { id };
  }

  /** The app whose API key and (unexpired) auth token these are. */
  async authenticate(apiKey: string, token: string): Promise<AppRef | undefined> {
    const [now, app] = await Promise.all([this.clock.shared(), this.app(apiKey)]);
    if (app === undefined) return undefined;
    const found = await this.connection.client.hget(`${this.tenant(app.id)}tokens`, token);
    if (found === null) return undefined;
    const { expiresAt } = (JSON.parse(found) as [number, Token])[1];
    return expiresAt && Date.parse(expiresAt) <= now ? undefined : app;
  }

  /**
   * Deletes each distinct ID's document, in one step, then reports each ID with its Velt ID; false if the app has
   * no such organization.
   */
  async deleteDocuments({ id: app }: AppRef, organizationId: string, documentIds: string[], report: Report) {
    const ids = [...new Set(documentIds)];
    const t = this.tenant(app);
    const out = (await this.delete(
      [`${t}orgs`, this.docs(app, organizationId), this.deleted(app, organizationId), `${t}seq`],
      [organizationId, ...ids],
    )) as (number | string)[] | null;
    if (out === null) return false;
    for (const [i, id] of ids.entries()) {
      const known = out[2 * i + 1] as string;
      report(id, known === '' ? internalId(organizationId, id) : known, out[2 * i] === 1);
    }
    return true;
  }
}
