/**
 * Where tombstone finds things. Kept free of heavy imports, so the mock can load it (the API reference at
 * /_mock/docs/, the stale check of `tombstone serve`) without the generator.
 *
 * Two roots, by who owns the files:
 * - PACKAGE_ROOT, the folder of tombstone's own package.json: the specs, generated/ and mocks/ that `tombstone
 *   serve` and `tombstone docs` use, so `npx tombstone serve` works from any folder;
 * - the working directory: the project a designer edits, for `generate`, `check`, `diff` and `lint`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TombstoneError } from './errors.js';

export const SPEC_DIR = 'openapi';
export const GENERATED_DIR = 'generated';

/**
 * The nearest folder above this module whose package.json is tombstone's. Searched, not fixed: the sources
 * (src/), a build (dist/, node_modules/.cache/...) and an installed package each sit at a different depth.
 */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tombstone'
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`[tombstone] No package.json named tombstone above ${from}.`);
  }
}

export const PACKAGE_ROOT = packageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The specs in openapi/, by file name without `.yaml`, sorted. */
export async function listSpecs(root: string): Promise<string[]> {
  const entries = await readdir(path.join(root, SPEC_DIR)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
    throw new TombstoneError(`No ${SPEC_DIR}/ folder in ${root}. Run this command in the folder that holds the specs.`);
  });
  return entries
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** The package that installs each binary `exec` runs, for the error when it is missing. */
const BIN_PACKAGES: Record<string, string> = { redocly: '@redocly/cli', biome: '@biomejs/biome', tsc: 'typescript' };

/**
 * A binary of node_modules/.bin, looked up as Node looks up packages: in `root`, then in each folder above it (an
 * installed tombstone finds the project's node_modules/.bin). Missing: a TombstoneError naming what to install.
 */
function binPath(root: string, bin: string): string {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', '.bin', bin);
    if (existsSync(file)) return file;
    if (path.dirname(dir) === dir) {
      const name = BIN_PACKAGES[bin] ?? bin;
      throw new TombstoneError(`This command needs ${name}, which is not installed. Run \`npm i -D ${name}\`.`);
    }
  }
}

/** Runs a binary of node_modules/.bin (see binPath) in `root`, collecting stdout and stderr together. */
export function exec(root: string, bin: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    // No usage data leaves the machine, with or without tombstone's redocly.yaml (an installed package has none).
    const child = spawn(binPath(root, bin), args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', REDOCLY_TELEMETRY: 'off' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * The fingerprint of a spec's sources: sha256 over each input file (its path relative to `root`, then its bytes),
 * in path order. `npm run generate` records it in generated/<spec>/definition.js; staleGenerated compares.
 */
export async function sourceHash(root: string, inputs: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const input of [...inputs].sort()) {
    hash.update(`${input}\0`);
    hash.update(await readFile(path.join(root, input)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The line of generated/<spec>/definition.js's header that records its sources. */
export function sourceLine(hash: string, inputs: string[]): string {
  return `// Sources: sha256 ${hash} of ${[...inputs].sort().join(', ')}`;
}

const SOURCE_LINE = /^\/\/ Sources: sha256 ([0-9a-f]{64}) of (.+)$/m;

/**
 * The specs in `root`/openapi whose generated/ no longer matches their sources (the spec, or a file it `$ref`s,
 * was edited or removed since `npm run generate`), or that have none. Cheap: it reads each definition's header
 * and hashes the YAML it names; nothing is bundled. Without an openapi/ folder there is nothing to compare: none.
 */
export async function staleGenerated(root: string): Promise<string[]> {
  if (!existsSync(path.join(root, SPEC_DIR))) return [];
  const specs = await listSpecs(root);
  const stale = await Promise.all(
    specs.map(async (spec) => {
      const recorded = SOURCE_LINE.exec(await head(path.join(root, GENERATED_DIR, spec, 'definition.js')));
      if (!recorded) return true;
      const inputs = recorded[2]!.split(', ');
      return sourceHash(root, inputs).then(
        (hash) => hash !== recorded[1],
        () => true,
      );
    }),
  );
  return specs.filter((_, i) => stale[i]);
}

/** The first bytes of a file (its header), or '' when it cannot be read. */
async function head(file: string): Promise<string> {
  const handle = await open(file).catch(() => undefined);
  if (!handle) return '';
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(4096) });
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
