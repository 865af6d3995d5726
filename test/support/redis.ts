/**
 * A real redis-server for the Redis suites: each suite starts its own on a free port, without persistence, and
 * stops it. Where redis-server is missing the suites are skipped with one line (printed once, by `setup`, which
 * vitest runs as a global setup), unless CI=true: there they fail, so CI never passes without running them.
 */
import { describe, it } from 'vitest';
import { redisServerPath } from './redisServer.js';

export const SKIP_LINE =
  '[tombstone] Redis suites skipped: redis-server not found. ' +
  'Install it (apt-get install -y redis-server) or set REDIS_SERVER=/path to run them.';

const serverPath = redisServerPath();

/** vitest's global setup: the one line saying the Redis suites are skipped, or nothing. */
export function setup(): void {
  if (!serverPath && process.env['CI'] !== 'true') console.log(SKIP_LINE);
}

/** A describe block that needs redis-server: skipped without it, failing without it when CI=true. */
export function describeRedis(name: string, body: () => void): void {
  if (serverPath) describe(name, body);
  else if (process.env['CI'] === 'true')
    describe(name, () =>
      it('needs redis-server (CI=true never skips)', () => {
        throw new Error(SKIP_LINE.replace('skipped', 'cannot run'));
      }),
    );
  else describe.skip(name, body);
}

export { RedisServer } from './redisServer.js';
