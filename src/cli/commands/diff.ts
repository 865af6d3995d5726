/**
 * `tombstone diff --base <ref>`: the specs in the working directory against a git ref (src/designers/diff.ts).
 * Exit 1 when any change breaks a client, so CI can gate on it.
 */
import { writeFile } from 'node:fs/promises';
import { junitReport, summary, textReport } from '../../designers/diffReport.js';
import { UsageError } from '../../errors.js';
import { parse } from './args.js';

export const usage = `diff         Compare every spec in ./openapi with its version at a git ref; each change is
               breaking or not (exit 1 if any breaks).
               --base <ref> (default HEAD)  --reporter text|junit (default text)  --output <file> (default stdout)`;

const REPORTERS = { text: textReport, junit: junitReport };

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, {
    base: { type: 'string', default: 'HEAD' },
    reporter: { type: 'string', default: 'text' },
    output: { type: 'string' },
  });
  const reporter = REPORTERS[values.reporter as keyof typeof REPORTERS];
  if (!reporter) {
    throw new UsageError(`--reporter must be one of ${Object.keys(REPORTERS).join(', ')}, got '${values.reporter}'.`);
  }
  const { diffSpecs } = await import('../../designers/diff.js');
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
