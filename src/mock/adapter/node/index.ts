/**
 * The mock on Node: seeds read from a directory, the API reference built from the project's files, the
 * node:http server (http.ts), and the errors a user can meet starting it (a port in use or not allowed).
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { TombstoneError, UsageError } from '../../../errors.js';
import { PACKAGE_ROOT } from '../../../project.js';
import { findVariant, variantNames } from '../../../variants/registry.js';
import { MockApp } from '../../app.js';
import type { ChaosProfile } from '../../chaos.js';
import type { MockClock } from '../../clock.js';
import type { DocsProvider } from '../../control.js';
import type { SharedState } from '../../types.js';
import { loadSeed } from './seeds.js';

export { createHttpServer, type HttpOptions } from './http.js';

export interface CreateMockOptions {
  /** Directory of <variant>.json seed files (default: the mocks/ folder that ships with tombstone). */
  seedDir?: string;
  /** Serve only this variant, at the root. */
  variant?: string;
  clock?: MockClock;
  /** Where the API reference served at /_mock/docs/ is built and kept (default docs/reference/). */
  docsDir?: string;
  /**
   * State shared with other processes (e.g. src/stores/redis's `openRedisState`), made from the served variants'
   * seeds; without it, each variant's state lives in this process.
   */
  shared?: (seeds: Map<string, unknown>) => Promise<SharedState>;
  /** How many requests the journal keeps (default 1,000). */
  journalSize?: number;
  /** Chaos profiles by variant, in force from the start and after each reset (`--chaos <file>`). */
  chaos?: ReadonlyMap<string, ChaosProfile>;
}

export async function createMock(options: CreateMockOptions = {}): Promise<MockApp> {
  const names = options.variant ? [options.variant] : variantNames;
  const served = await Promise.all(
    names.map(async (name) => {
      const variant = findVariant(name);
      if (!variant) throw new UsageError(`unknown variant '${name}'; choose one of ${variantNames.join(', ')}`);
      return { variant, seed: await loadSeed(options.seedDir ?? path.join(PACKAGE_ROOT, 'mocks'), variant) };
    }),
  );
  const shared = await options.shared?.(new Map(served.map(({ variant, seed }) => [variant.name, seed])));
  return MockApp.create({
    variants: served,
    atRoot: Boolean(options.variant),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(shared ? { shared } : {}),
    ...(options.journalSize === undefined ? {} : { journalSize: options.journalSize }),
    ...(options.chaos ? { chaos: options.chaos } : {}),
    docs: docsProvider(options.docsDir),
  });
}

/** The API reference (/_mock/docs/), loaded on first use: the builder reads and writes files. */
function docsProvider(dir: string | undefined): DocsProvider {
  return async (spec) => {
    const { DOCS_DIR, serveDocs } = await import('../../../designers/docs.js');
    return serveDocs(dir ?? DOCS_DIR, spec);
  };
}

/** What to do when the port cannot be had, by the system's error code. */
const LISTEN_ERRORS: Record<string, (port: number, host: string) => string> = {
  EADDRINUSE: (port, host) => `Port ${port} on ${host} is in use. Try --port <n> or stop the process using it.`,
  EACCES: (port, host) => `Port ${port} on ${host} needs privileges this user lacks. Try --port 4010 (above 1023).`,
  EADDRNOTAVAIL: (_, host) => `${host} is not an address of this machine. Try --host 127.0.0.1 or --host 0.0.0.0.`,
};

/** Starts listening; a port in use or not allowed is the user's to change, said in one line. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const refused = (err: NodeJS.ErrnoException) => {
      const message = LISTEN_ERRORS[err.code ?? ''];
      reject(message ? new TombstoneError(message(port, host), { cause: err }) : err);
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
}
