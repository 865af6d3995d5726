/**
 * The mock clock shared by every replica: Redis's `TIME` plus the offset `POST /_mock/clock` added (key `P clock`;
 * see connection.ts for why it is read per request rather than cached).
 */
import type { ControlClock } from '../../mock/types.js';
import type { RedisConnection, Script } from './connection.js';

export class SharedClock implements ControlClock {
  private readonly read: Script;
  /** The last shared reading and this process's time then: what `now()` goes on from. */
  private last = { shared: Date.now(), local: Date.now() };

  constructor(private readonly connection: RedisConnection) {
    this.read = connection.script(
      1,
      `local t = redis.call('TIME')
return t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(redis.call('GET', KEYS[1]) or '0')`,
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

  /** Moves every replica's clock forward; it never goes back (the control API refuses a negative advance). */
  async advance(seconds: number): Promise<void> {
    if (!(seconds >= 0)) throw new RangeError('the clock only moves forward');
    await this.connection.client.incrby(this.connection.clockKey, Math.round(seconds * 1000));
  }

  async reset(): Promise<void> {
    await this.connection.client.del(this.connection.clockKey);
  }
}
