/**
 * The mock clock shared by every replica: Redis's `TIME` plus the offset `POST /_mock/clock` added (key `P clock`;
 * see connection.ts for why it is read per request rather than cached).
 *
 * A store whose per-request script needs now keeps a copy of the offset in each tenant's slot (`join`, listed in the
 * set `P clocks`): a script touches one tenant's slot only (Redis Cluster), so it cannot read `P clock`, and a
 * separate read would cost the request a round trip. `advance` raises `P clock` first and every listed copy after,
 * so a request that starts once the advance has been answered sees it in every tenant, whichever replica (serving
 * whichever variants) advanced it. A copy that joins meanwhile is listed before it reads `P clock`: either the
 * advance found it, or the advance's raise came before that read.
 */
import type { ControlClock } from '../../mock/types.js';
import type { RedisConnection, Script } from './connection.js';

/** Lua: `now_ms(offsetKey)`, Redis's time in ms plus the offset at `offsetKey` (absent: 0). */
export const LUA_NOW = `
local function now_ms(offset)
  local t = redis.call('TIME')
  return t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(redis.call('GET', offset) or '0')
end
`;

export class SharedClock implements ControlClock {
  private readonly read: Script;
  /** Raises a copy of the offset to the value given, never lowering it (advances may be answered out of order). */
  private readonly raise: Script;
  /** The last shared reading and this process's time then: what `now()` goes on from. */
  private last = { shared: Date.now(), local: Date.now() };

  constructor(private readonly connection: RedisConnection) {
    this.read = connection.script(1, `${LUA_NOW}\nreturn now_ms(KEYS[1])`);
    this.raise = connection.script(
      1,
      `if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 0`,
    );
  }

  /** Now, as every replica agrees on it (one round trip). */
  async shared(): Promise<number> {
    const now = Number(await this.read([this.connection.clockKey], []));
    this.last = { shared: now, local: Date.now() };
    return now;
  }

  /**
   * Synchronous: the last shared reading moved on by this process's clock. Only for what needs no agreement
   * (a `Retry-After` in seconds, `now` in a health answer while Redis is away); state changes use `shared()`.
   */
  now(): number {
    return this.last.shared + (Date.now() - this.last.local);
  }

  /** Makes `key` a copy of the offset (a tenant's, in its slot) that every advance and reset keeps equal. */
  async join(key: string): Promise<void> {
    const { client, clockKey } = this.connection;
    await client.sadd(`${clockKey}s`, key);
    await this.raise([key], [Number((await client.get(clockKey)) ?? 0)]);
  }

  /** Moves every replica's clock forward; it never goes back (the control API refuses a negative advance). */
  async advance(seconds: number): Promise<void> {
    if (!(seconds >= 0)) throw new RangeError('the clock only moves forward');
    const offset = await this.connection.client.incrby(this.connection.clockKey, Math.round(seconds * 1000));
    await Promise.all((await this.copies()).map((key) => this.raise([key], [offset])));
  }

  async reset(): Promise<void> {
    const { client } = this.connection;
    await client.del(this.connection.clockKey);
    await Promise.all((await this.copies()).map((key) => client.del(key)));
  }

  private copies(): Promise<string[]> {
    return this.connection.client.smembers(`${this.connection.clockKey}s`);
  }
}
