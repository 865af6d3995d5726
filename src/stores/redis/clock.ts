/**
 * The mock clock shared by every replica: Redis's `TIME` plus the offset `POST /_mock/clock` added (key `P clock`;
 * see connection.ts for why it is read per request rather than cached).
 */
import type { RedisConnection, Script } from './connection.js';

export class SharedClock {
  private readonly read: Script;

  constructor(private readonly connection: RedisConnection) {
    this.read = connection.script(
      1,
      `
local t = redis.call('TIME')
return t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(redis.call('GET', KEYS[1]) or '0')`,
    );
  }

  async now(): Promise<number> {
    return Number(await this.read([this.connection.clockKey], []));
  }

  /** Moves every replica's clock forward; it never goes back (the control API refuses a negative advance). */
  async advance(seconds: number): Promise<void> {
    if (!(seconds >= 0)) throw new RangeError('the clock only moves forward');
    await this.connection.client.incrby(this.connection.clockKey, Math.round(seconds * 1000));
  }

  async reset(): Promise<void> {
    await this.connection.client.del(this.connection.clockKey);
  }
}
