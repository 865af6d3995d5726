/**
 * Stoplight Prism (node_modules/.bin/prism) as an independent judge: started on a free loopback port, awaited by
 * polling until it answers, stopped by the test that started it. https://docs.stoplight.io/docs/prism
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface RunningPrism {
  /** http://127.0.0.1:<port> */
  origin: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

/** A port free right now: listen on 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `prism <args> -p <free port> -h 127.0.0.1`, resolved once it answers HTTP. */
export async function startPrism(args: string[]): Promise<RunningPrism> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn('node_modules/.bin/prism', [...args, '-p', String(port), '-h', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d));
  child.stderr.on('data', (d: Buffer) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prism ${args.join(' ')} exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(`${origin}/`, { signal: AbortSignal.timeout(1_000) });
      return { origin, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `prism ${args.join(' ')} did not answer on ${origin} within ${READY_TIMEOUT_MS} ms:\n${output}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
