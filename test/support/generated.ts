/**
 * What `npm run generate` makes of a fixture's specs, written to a fresh folder under node_modules/.cache (so that
 * the generated validators find ajv's runtime) and imported from there.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateAll } from '../../src/designers/generate.js';

const CACHE = path.resolve('node_modules/.cache');

export interface GeneratedFixture {
  /** The folder holding generated/<spec>/. */
  dir: string;
  /** Imports generated/<spec>/<name>. */
  load(spec: string, name: string): Promise<any>;
  remove(): Promise<void>;
}

/** `root`'s openapi/*.yaml, generated into a fresh folder whose name starts with `prefix`. */
export async function generateFixture(root: string, prefix: string): Promise<GeneratedFixture> {
  await mkdir(CACHE, { recursive: true });
  const dir = await mkdtemp(path.join(CACHE, prefix));
  for (const file of await generateAll(root)) {
    await mkdir(path.dirname(path.join(dir, file.path)), { recursive: true });
    await writeFile(path.join(dir, file.path), file.contents);
  }
  return {
    dir,
    load: (spec, name) => import(pathToFileURL(path.join(dir, 'generated', spec, name)).href),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
