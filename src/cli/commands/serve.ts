/**
 * `tombstone serve`: the stateful mock on node:http, every variant seeded from tombstone's mocks/ (or --seed).
 * Specs, definitions and seeds come from tombstone's own folder, so it serves the same from any directory.
 */
import cluster from 'node:cluster';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { type CreateMockOptions, createHttpServer, createMock, listen } from '../../mock/adapter/node/index.js';
import { watchMock } from '../../mock/adapter/node/watch.js';
import { type ChaosProfile, chaosProfiles } from '../../mock/chaos.js';
import { type LogFormat, logFormat, requestLogger } from '../../mock/log.js';
import { mockBasePath } from '../../openapi/model.js';
import { PACKAGE_ROOT, SPEC_DIR, staleGenerated } from '../../project.js';
import { findVariant, variantNames } from '../../variants/registry.js';
import { parse } from './args.js';

export const usage = `serve        Start the stateful mock (the default command).
               --port <n> (env PORT, default 4010)  --host <h> (default 127.0.0.1)
               --variant <name> (one variant, at the root)
               --seed <dir> (the seed files <variant>.json; default: the mocks/ folder that ships with tombstone)
               --store memory|redis://host:port[/db]|redis+cluster://host:port[,host:port…] (env TOMBSTONE_STORE;
                 default memory: state in this process; a Redis Cluster by any of its nodes; a login goes before
                 the host, redis://[user]:password@host:port, shown as *** in every message)
               --store-prefix <p> (Redis key prefix, default tombstone:)
               --workers <n> (processes sharing the port, default 1; more than one needs a Redis store)
               --log [text|json] (a line per request: text in a terminal, JSON lines elsewhere)
               --journal-size <n> (requests GET /_mock/requests keeps, default 1000; 0: none)
               --chaos <file> (chaos profiles by variant: {"leadlex": {"errors": {"429": 0.1}}, ...})
               --watch (reload an edited spec, regenerating generated/, or an edited seed file)`;

export async function run(args: string[]): Promise<number> {
  // `--log` takes an optional value: alone (last, or before another flag), it is `--log=`.
  const withLog = args.map((arg, i) => (arg === '--log' && !/^(text|json)$/.test(args[i + 1] ?? '') ? '--log=' : arg));
  const { values } = parse(withLog, {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    variant: { type: 'string' },
    seed: { type: 'string', default: path.join(PACKAGE_ROOT, 'mocks') },
    store: { type: 'string' },
    'store-prefix': { type: 'string' },
    workers: { type: 'string', default: '1' },
    log: { type: 'string' },
    'journal-size': { type: 'string' },
    chaos: { type: 'string' },
    watch: { type: 'boolean', default: false },
  });
  const workers = parseWorkers(values.workers);
  const store = values.store ?? process.env['TOMBSTONE_STORE'] ?? 'memory';
  if (workers > 1 && store === 'memory') {
    throw new UsageError(
      `--workers ${workers} needs a shared store: each worker would keep its own state. ` +
        'Add --store redis://host:port[/db] (or redis+cluster://host:port[,host:port…]), or use --workers 1.',
    );
  }
  if (workers > 1 && cluster.isPrimary) return runWorkers(workers);
  for (const spec of process.env['TOMBSTONE_WORKER'] ? [] : await staleGenerated(PACKAGE_ROOT)) {
    console.error(
      `[tombstone] Warning: ${SPEC_DIR}/${spec}.yaml changed after generated/${spec}/ was written: ` +
        'the mock serves the old version. Run `npm run generate`.',
    );
  }
  const port = parsePort(values.port ?? process.env['PORT'] ?? '4010');
  await serve({
    port,
    host: values.host,
    variant: values.variant,
    seedDir: values.seed,
    store,
    storePrefix: values['store-prefix'],
    workers,
    log: values.log === undefined ? undefined : logFormat(values.log, Boolean(process.stdout.isTTY)),
    journalSize: values['journal-size'] === undefined ? undefined : parseJournalSize(values['journal-size']),
    chaos: values.chaos === undefined ? undefined : await readChaos(values.chaos, values.variant),
    watch: values.watch,
  });
  return 0;
}

function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!/^\d+$/.test(value) || workers < 1 || workers > 64) {
    throw new UsageError(`--workers must be an integer from 1 to 64, got '${value}'.`);
  }
  return workers;
}

/**
 * `--workers N`: N processes (node:cluster) running this same command on one port, sharing the store; the
 * primary only starts them, passes SIGTERM/SIGINT on, and starts a new one for any that dies unasked. Worker 0
 * prints the banner.
 */
function runWorkers(count: number): Promise<number> {
  let stopping = false;
  const fork = (index: number) => {
    const worker = cluster.fork({ TOMBSTONE_WORKER: String(index) });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`[tombstone] worker ${index} exited (${signal ?? code}); starting another.`);
      fork(index);
    });
  };
  for (let i = 0; i < count; i++) fork(i);
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      cluster.on('exit', () => {
        if (Object.keys(cluster.workers ?? {}).length > 0) return;
        resolve(0);
        // The primary holds the shared listening handle: nothing else would end it.
        process.exit(0);
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** `--store`: memory (nothing to pass), or Redis, whose client is loaded only then. */
function sharedStore({ store, storePrefix }: ServeOptions): Pick<CreateMockOptions, 'shared'> {
  if (store === 'memory') {
    if (storePrefix !== undefined) {
      throw new UsageError('--store-prefix needs --store redis://host:port[/db] or redis+cluster://host:port[,…].');
    }
    return {};
  }
  return {
    shared: async (seeds) => (await import('../../stores/redis/index.js')).openRedisState(store, seeds, storePrefix),
  };
}

function parseJournalSize(value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`--journal-size must be a whole number of requests (0 keeps none), got '${value}'.`);
  }
  return Number(value);
}

/** The profiles of `--chaos <file>`, checked against the specs of the variants served. */
async function readChaos(file: string, only: string | undefined): Promise<Map<string, ChaosProfile>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--chaos ${file}: ${(err as Error).message}. Give a JSON file of profiles by variant.`);
  }
  const names = only ? [only] : variantNames;
  const served = names.flatMap((name) => {
    const variant = findVariant(name);
    return variant ? [[name, variant.definition] as const] : [];
  });
  return chaosProfiles(file, json, new Map(served));
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535 (0: any free port), got '${value}'.`);
  }
  return port;
}

/** Longer than any injected delay (Prefer: delay is capped at 30 s). */
const SHUTDOWN_GRACE_MS = 35_000;

export interface ServeOptions {
  port: number;
  host: string;
  variant: string | undefined;
  seedDir: string;
  /** `memory`, or a Redis (`redis://…`, `redis+cluster://…`) shared with every process using it. */
  store: string;
  storePrefix: string | undefined;
  /** How many processes serve the port (the banner says so); started by `run`. */
  workers: number;
  /** One line per request on stdout, in this format. */
  log?: LogFormat | undefined;
  journalSize?: number | undefined;
  chaos?: ReadonlyMap<string, ChaosProfile> | undefined;
  /** Reload edited specs (regenerating generated/) and seed files. */
  watch?: boolean;
}

export async function serve(options: ServeOptions): Promise<void> {
  const app = await createMock({
    seedDir: options.seedDir,
    ...(options.variant ? { variant: options.variant } : {}),
    ...sharedStore(options),
    ...(options.journalSize === undefined ? {} : { journalSize: options.journalSize }),
    ...(options.chaos ? { chaos: options.chaos } : {}),
  });
  if (options.log) {
    const color = options.log === 'text' && Boolean(process.stdout.isTTY);
    const write = (line: string) => process.stdout.write(`${line}\n`);
    app.journal.subscribe(requestLogger(options.log, write, { color, credentials: app.journal.credentials }));
  }
  const watcher = options.watch
    ? watchMock(app, PACKAGE_ROOT, options.seedDir, (line) => console.log(line))
    : undefined;
  const server = createHttpServer(app);
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  const lines = [`tombstone mock listening on ${origin}`];
  for (const runtime of app.runtimes.values()) {
    const { variant } = runtime;
    const mount = options.variant ? '' : `/${variant.name}`;
    lines.push(`  ${variant.name.padEnd(8)} ${origin}${mount}${mockBasePath(variant.definition)}`);
    for (const credential of variant.credentials(await runtime.snapshot())) lines.push(`             ${credential}`);
  }
  if (app.shared) lines.push(`  store    ${app.shared.describe}, shared with every replica using it`);
  if (options.workers > 1) lines.push(`  workers  ${options.workers} processes on this port (node:cluster)`);
  lines.push(`  control  ${origin}/_mock/health  (openapi/mock-admin.yaml)`);
  for (const [name, rt] of app.runtimes)
    if (rt.chaos) lines.push(`  chaos    ${name}: ${JSON.stringify(rt.chaos.profile)}`);
  if (watcher) lines.push(`  watching ${SPEC_DIR}/ and ${options.seedDir} for edits`);
  if ((process.env['TOMBSTONE_WORKER'] ?? '0') === '0') console.log(lines.join('\n'));
  // Graceful shutdown: refuse new connections, let in-flight requests finish (idle keep-alive connections are
  // closed by server.close), then exit 0; a request still running after the grace period is cut.
  const stop = (signal: string) => {
    console.log(`${signal}: finishing in-flight requests, then exiting`);
    watcher?.close();
    server.close(() => void (app.shared?.close() ?? Promise.resolve()).finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
