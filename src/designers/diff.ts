/**
 * `tombstone diff --base <ref>`: every spec in openapi/ against its version at a git ref, each change classified
 * as breaking or not (specDiff.ts). Both versions are bundled and dereferenced first, so a change inside a shared
 * component shows at every use.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { TombstoneError } from '../errors.js';
import { listSpecs, SPEC_DIR } from '../project.js';
import type { SpecDiff } from './diffReport.js';
import { bundleSpec } from './generate.js';
import { compareSpecs } from './specDiff.js';

const exec = promisify(execFile);

async function git(root: string, args: string[]): Promise<string> {
  return (await exec('git', args, { cwd: root, maxBuffer: 64 * 1024 * 1024 })).stdout;
}

/** Every spec at `base` and in the working tree, compared; a spec only on one side is added or removed whole. */
export async function diffSpecs(root: string, base: string): Promise<SpecDiff[]> {
  try {
    await git(root, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
  } catch {
    throw new TombstoneError(
      `Failed to diff: '${base}' is not a commit of a git repository at ${root}. ` +
        'Try a branch, tag or SHA from `git log --oneline`.',
    );
  }
  // Paths relative to `root`, so tombstone may live in a subdirectory of the repository.
  const listed = await git(root, ['ls-tree', '--name-only', base, '--', `${SPEC_DIR}/`]);
  const atBase = listed
    .split('\n')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.basename(f, '.yaml'));
  const current = await listSpecs(root);
  const names = [...new Set([...current, ...atBase])].sort();
  return Promise.all(
    names.map(async (name): Promise<SpecDiff> => {
      const spec = `${SPEC_DIR}/${name}.yaml`;
      const specPath = path.join(root, spec);
      if (!atBase.includes(name)) {
        return { spec, changes: [{ where: spec, what: '', message: 'spec added', breaking: false }] };
      }
      if (!current.includes(name)) {
        return { spec, changes: [{ where: spec, what: '', message: 'spec removed', breaking: true }] };
      }
      const [before, after] = await Promise.all([
        bundleSpec(specPath, await git(root, ['show', `${base}:./${spec}`])).catch((err: Error) => {
          throw new TombstoneError(`Failed to diff ${spec}: its version at ${base} does not bundle (${err.message}).`);
        }),
        bundleSpec(specPath).catch((err: Error) => {
          throw new TombstoneError(`Failed to diff ${spec}: ${err.message}. Try \`npm run lint\`.`);
        }),
      ]);
      return { spec, changes: compareSpecs(before, after) };
    }),
  );
}
