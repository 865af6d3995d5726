/**
 * `tombstone serve`: the stateful mock on node:http, every variant seeded from tombstone's mocks/ (or --seed).
 * Specs, definitions and seeds come from tombstone's own folder, so it serves the same from any directory.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { createHttpServer, createMock, listen } from '../../mock/adapter/node/index.js';
import { mockBasePath } from '../../openapi/model.js';
import { PACKAGE_ROOT, SPEC_DIR, staleGenerated } from '../../project.js';
import { parse } from './args.js';

export const usage = `serve        Start the stateful mock (the default command).
               --port <n> (env PORT, default 4010)  --host <h> (default 127.0.0.1)
               --variant <name> (one variant, at the root)
               --seed <dir> (the seed files <variant>.json; default: the mocks/ folder that ships with tombstone)`;

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    variant: { type: 'string' },
    seed: { type: 'string', default: path.join(PACKAGE_ROOT, 'mocks') },
  });
  for (const spec of await staleGenerated(PACKAGE_ROOT)) {
    console.error(
      `[tombstone] Warning: ${SPEC_DIR}/${spec}.yaml changed after generated/${spec}/ was written: ` +
        'the mock serves the old version. Run `npm run generate`.',
    );
  }
  const port = parsePort(values.port ?? process.env['PORT'] ?? '4010');
  await serve({ port, host: values.host, variant: values.variant, seedDir: values.seed });
  return 0;
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
}

export async function serve(options: ServeOptions): Promise<void> {
  const app = await createMock({ seedDir: options.seedDir, ...(options.variant ? { variant: options.variant } : {}) });
  const server = createHttpServer(app);
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  const lines = [`tombstone mock listening on ${origin}`];
  for (const runtime of app.runtimes.values()) {
    const { variant } = runtime;
    const mount = options.variant ? '' : `/${variant.name}`;
    lines.push(`  ${variant.name.padEnd(8)} ${origin}${mount}${mockBasePath(variant.definition)}`);
    for (const credential of variant.credentials(runtime.snapshot())) lines.push(`             ${credential}`);
  }
  lines.push(`  control  ${origin}/_mock/health  (openapi/mock-admin.yaml)`);
  console.log(lines.join('\n'));
  // Graceful shutdown: refuse new connections, let in-flight requests finish (idle keep-alive connections are
  // closed by server.close), then exit 0; a request still running after the grace period is cut.
  const stop = (signal: string) => {
    console.log(`${signal}: finishing in-flight requests, then exiting`);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
