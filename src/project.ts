/**
 * The project tombstone works in: where its specs and generated files live, and its node_modules binaries. Kept
 * free of heavy imports, so the mock can load it (the API reference at /_mock/docs/) without the generator.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export const SPEC_DIR = 'openapi';
export const GENERATED_DIR = 'generated';

/** The specs in openapi/, by file name without `.yaml`, sorted. */
export async function listSpecs(root: string): Promise<string[]> {
  const entries = await readdir(path.join(root, SPEC_DIR));
  return entries
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Runs a binary of node_modules/.bin in `root`, collecting stdout and stderr together. */
export function exec(root: string, bin: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, 'node_modules', '.bin', bin), args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
