/**
 * The mock on Node: seeds read from a directory, the API reference built from the project's files, the
 * node:http server (http.ts), and the errors a user can meet starting it (a port in use, a stale generated/).
 */
import { statSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { TombstoneError, UsageError } from '../../../errors.js';
import { GENERATED_DIR, SPEC_DIR } from '../../../project.js';
import { findVariant, variantNames } from '../../../variants/registry.js';
import { MockApp } from '../../app.js';
import type { MockClock } from '../../clock.js';
import type { DocsProvider } from '../../control.js';
import { loadSeed } from './seeds.js';

export { createHttpServer, type HttpOptions } from './http.js';

export interface CreateMockOptions {
  /** Directory of <variant>.json seed files (default: mocks/ of the working directory). */
  seedDir?: string;
  /** Serve only this variant, at the root. */
  variant?: string;
  clock?: MockClock;
  /** Where the API reference served at /_mock/docs/ is built and kept (default docs/reference/). */
  docsDir?: string;
}

export async function createMock(options: CreateMockOptions = {}): Promise<MockApp> {
  const names = options.variant ? [options.variant] : variantNames;
  const served = await Promise.all(
    names.map(async (name) => {
      const variant = findVariant(name);
      if (!variant) throw new UsageError(`unknown variant '${name}'; choose one of ${variantNames.join(', ')}`);
      return { variant, seed: await loadSeed(options.seedDir ?? 'mocks', variant) };
    }),
  );
  for (const warning of staleSpecs('.', [...names, 'mock-admin'])) console.warn(warning);
  return MockApp.create({
    variants: served,
    atRoot: Boolean(options.variant),
    ...(options.clock ? { clock: options.clock } : {}),
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

/**
 * Files a checkout writes one after another: a spec written up to this much after its generated files counts as
 * the same version.
 */
const CHECKOUT_SLACK_MS = 2_000;

/**
 * One warning per spec edited after `npm run generate` last ran (openapi/<name>.yaml newer than
 * generated/<name>/definition.js): the mock serves the generated definition, so it would serve the old spec.
 * Specs or generated files that are not there (an installed package) are not checked.
 */
export function staleSpecs(root: string, names: string[]): string[] {
  const mtime = (file: string) => statSync(path.join(root, file), { throwIfNoEntry: false })?.mtimeMs;
  return names.flatMap((name) => {
    const spec = `${SPEC_DIR}/${name}.yaml`;
    const generated = mtime(`${GENERATED_DIR}/${name}/definition.js`);
    const edited = mtime(spec);
    if (edited === undefined || generated === undefined || edited <= generated + CHECKOUT_SLACK_MS) return [];
    const fix = 'Run `npm run generate`.';
    return [`[tombstone] ${spec} changed after ${GENERATED_DIR}/${name}/ was generated: the mock serves the old spec. ${fix}`];
  });
}

/** Starts listening; a port in use or not allowed is the user's to change, said in one line. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const refused = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new TombstoneError(`Port ${port} is in use on ${host}. Try --port <n> or stop the other process.`));
      } else if (err.code === 'EACCES') {
        const fix = 'Try --port <n> above 1023.';
        reject(new TombstoneError(`Port ${port} on ${host} needs privileges this user lacks. ${fix}`));
      } else reject(err);
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
}
