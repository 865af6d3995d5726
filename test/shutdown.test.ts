/** Graceful shutdown of `tombstone serve` on SIGTERM and SIGINT: in-flight requests complete, new ones are refused, exit 0. */
import { describe, expect, test } from 'vitest';
import { spawnServe } from './support/serve.js';

describe.each(['SIGTERM', 'SIGINT'] as const)('on %s', (signal) => {
  test('the in-flight request completes, a new connection is refused, the process exits 0', async () => {
    const serve = await spawnServe(['--port', '0']);
    const inFlight = fetch(`${serve.origin}/tavus/v2/documents/d8-5c71baca86fc`, {
      method: 'DELETE',
      headers: { 'x-api-key': '<api-key>', prefer: 'delay=700' },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    serve.kill(signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(fetch(`${serve.origin}/_mock/health`)).rejects.toThrow();
    expect((await inFlight).status).toBe(204);
    expect(await serve.exited).toBe(0);
  });
});
