/**
 * `tombstone diff --base <ref>`: every spec in openapi/ against its version at a git ref, each change classified
 * as breaking or not (src/designers/specDiff.ts). Exit 1 when any change breaks a client, so CI can gate on it.
 * Both versions are bundled and dereferenced first, so a change inside a shared component shows at every use.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { junitReport, type SpecDiff, summary, textReport } from '../../designers/diffReport.js';
import { bundleSpec } from '../../designers/generate.js';
import { compareSpecs } from '../../designers/specDiff.js';
import { TombstoneError, UsageError } from '../../errors.js';
import { listSpecs, SPEC_DIR } from '../../project.js';
import { parse } from './args.js';

export const usage = `diff         Compare every spec with its version at a git ref; each change is breaking or not (exit 1 if any breaks)
               --base <ref> (default HEAD)  --reporter text|junit (default text)  --output <file> (default stdout)`;

const REPORTERS = { text: textReport, junit: junitReport };

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, {
    base: { type: 'string', default: 'HEAD' },
    reporter: { type: 'string', default: 'text' },
    output: { type: 'string' },
  });
  const reporter = REPORTERS[values.reporter as keyof typeof REPORTERS];
  if (!reporter)
    throw new UsageError(`--reporter must be one of ${Object.keys(REPORTERS).join(', ')}, got '${values.reporter}'`);
  const diffs = await diffSpecs(process.cwd(), values.base);
  const report = reporter(diffs, values.base);
  if (values.output) {
    await writeFile(values.output, report);
    console.log(`${summary(diffs, values.base)} Report: ${values.output}`);
  } else {
    process.stdout.write(report);
  }
  return diffs.some((d) => d.changes.some((c) => c.breaking)) ? 1 : 0;
}

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
      `Failed to diff: '${base}' is not a commit of a git repository at ${root}. Try a branch, tag or SHA from \`git log --oneline\`.`,
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
      if (!atBase.includes(name))
        return { spec, changes: [{ where: spec, what: '', message: 'spec added', breaking: false }] };
      if (!current.includes(name))
        return { spec, changes: [{ where: spec, what: '', message: 'spec removed', breaking: true }] };
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
