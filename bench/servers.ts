/**
 * The servers the bench compares, each a child process on its own ephemeral loopback port: the bare node:http
 * limit, the node:http floor under a LeadLex delete, tombstone's compiled mock (dist/, `npm run build`), and Prism's
 * mock of one spec.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
const PRISM_CLI = realpathSync(path.join(ROOT, 'node_modules', '.bin', 'prism'));
/**
 * `npm run build` writes it; the bench measures compiled JS, never a TypeScript loader. TOMBSTONE_CLI points the
 * bench at another build (say, of an earlier commit) to compare the two on the same machine.
 */
const TOMBSTONE_CLI = process.env['TOMBSTONE_CLI'] ?? path.join(ROOT, 'dist', 'tombstone.js');

/** `floor`: node:http doing only what tombstone's LeadLex answer needs of it (bench/floor-server.js). */
export type TargetKind = 'bare' | 'floor' | 'tombstone' | 'prism';

export interface ServerOptions {
  /** tombstone: the seed directory (default mocks/). */
  seedDir?: string;
  /** tombstone: `--store redis://…`, its key prefix and `--workers` (bench/redis.ts). */
  store?: { url: string; prefix: string; workers: number };
  /** prism: the spec to mock, e.g. `leadlex`. */
  spec?: string;
  /** Extra node flags (e.g. --expose-gc for the memory probe). */
  nodeFlags?: string[];
  /** Open an IPC channel to the child (the memory probe answers on it). */
  ipc?: boolean;
}

export interface Server {
  kind: TargetKind;
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Never leave a server behind, whatever ends the bench (a signal too: exiting runs the 'exit' handlers).
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/** An ephemeral port the OS hands out; closed again so the child can bind it. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function command(kind: TargetKind, port: number, options: ServerOptions): string[] {
  switch (kind) {
    case 'bare':
      return [path.join(ROOT, 'bench', 'bare-server.js'), String(port)];
    case 'floor':
      return [path.join(ROOT, 'bench', 'floor-server.js'), String(port)];
    case 'tombstone':
      return [
        ...[TOMBSTONE_CLI, 'serve', '--port', String(port), '--seed', options.seedDir ?? 'mocks'],
        ...(options.store ? ['--store', options.store.url, '--store-prefix', options.store.prefix] : []),
        ...(options.store ? ['--workers', String(options.store.workers)] : []),
      ];
    case 'prism':
      return [PRISM_CLI, 'mock', '-h', '127.0.0.1', '-p', String(port), `openapi/${options.spec}.yaml`];
  }
}

/** Spawns the server; `spawnedAt` is taken right before the spawn, for start-up timing. */
export async function startServer(
  kind: TargetKind,
  options: ServerOptions = {},
): Promise<Server & { spawnedAt: number }> {
  const port = await freePort();
  // tsx's loader reaches this process through execArgv, which spawn does not pass on; NODE_OPTIONS would, so
  // every server runs as plain node, flags and all as given here.
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...command(kind, port, options)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe', ...(options.ipc ? ['ipc' as const] : [])],
  });
  running.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  child.once('exit', (code, signal) => {
    if (code !== null && code !== 0)
      console.error(`${kind} exited with ${code}${signal ? ` (${signal})` : ''}:\n${stderr}`);
  });
  return { kind, origin: `http://127.0.0.1:${port}`, child, stop, spawnedAt };
}

interface Probe {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Polls the server with `probe` every 2 ms until it answers; resolves with the time of that answer, which must
 * be 2xx. Refused connections are retried until `timeoutMs`.
 */
export async function waitUntilServing(server: Server, probe: Probe, timeoutMs = 60_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`${server.kind} exited before serving`);
    const status = await send(server.origin, probe).catch((err: Error) => err.message);
    if (typeof status === 'number') {
      if (status >= 200 && status < 300) return performance.now();
      throw new Error(`${server.kind} answered ${probe.method} ${probe.path} with ${status}`);
    }
    last = status;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`${server.kind} did not serve ${probe.method} ${probe.path} within ${timeoutMs} ms (last: ${last})`);
}

/** One request on a fresh connection; the status once the whole answer has arrived. */
function send(origin: string, probe: Probe): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${origin}${probe.path}`,
      { method: probe.method, headers: probe.headers, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(probe.body);
  });
}
