/** Graceful shutdown of `tombstone serve` on SIGTERM and SIGINT: in-flight requests complete, new ones are refused, exit 0. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

async function startServe(): Promise<{ origin: string; exited: Promise<number | null>; kill(signal: NodeJS.Signals): void }> {
  const child = spawn(process.execPath, [path.resolve('bin/tombstone.js'), 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error(`serve exited before listening: ${out}`)));
  });
  return { origin, exited, kill: (signal) => child.kill(signal) };
}

describe.each(['SIGTERM', 'SIGINT'] as const)('on %s', (signal) => {
  test('the in-flight request completes, a new connection is refused, the process exits 0', async () => {
    const serve = await startServe();
    const inFlight = fetch(`${serve.origin}/tavus/v2/documents/d8-5c71baca86fc`, { method: 'DELETE', headers: { 'x-api-key': '<api-key>', prefer: 'delay=700' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    serve.kill(signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(fetch(`${serve.origin}/_mock/health`)).rejects.toThrow();
    expect((await inFlight).status).toBe(204);
    expect(await serve.exited).toBe(0);
  });
});
