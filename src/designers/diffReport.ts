/**
 * The report of `tombstone diff`: readable text for people, JUnit XML for CI (one test suite per spec, one test
 * case per change; a breaking change is a failure).
 * https://github.com/testmoapp/junitxml
 */
import { escapeXml } from '../html.js';
import type { Change } from './specDiff.js';

export interface SpecDiff {
  /** The spec's path, `openapi/<name>.yaml`. */
  spec: string;
  changes: Change[];
}

function describe(change: Change): string {
  return `${change.where}  ${change.what ? `${change.what}: ` : ''}${change.message}`;
}

export function summary(diffs: SpecDiff[], base: string): string {
  const changes = diffs.flatMap((d) => d.changes);
  const breaking = changes.filter((c) => c.breaking).length;
  const specs = diffs.filter((d) => d.changes.some((c) => c.breaking)).length;
  const counts = `${changes.length} change${changes.length === 1 ? '' : 's'} to ${diffs.length} specs since ${base}`;
  return breaking === 0
    ? `${counts}; none breaks a client.`
    : `${counts}; ${breaking} breaking, in ${specs} spec${specs === 1 ? '' : 's'}.`;
}

export function textReport(diffs: SpecDiff[], base: string): string {
  const lines: string[] = [];
  for (const { spec, changes } of diffs) {
    if (changes.length === 0) {
      lines.push(`${spec}: unchanged`);
      continue;
    }
    const breaking = changes.filter((c) => c.breaking).length;
    lines.push(`${spec}: ${breaking} breaking, ${changes.length - breaking} non-breaking`);
    // Breaking changes first, each group in the spec's order.
    for (const change of [...changes.filter((c) => c.breaking), ...changes.filter((c) => !c.breaking)]) {
      lines.push(`  ${change.breaking ? 'BREAKING    ' : 'non-breaking'}  ${describe(change)}`);
    }
  }
  lines.push('', summary(diffs, base));
  return `${lines.join('\n')}\n`;
}

export function junitReport(diffs: SpecDiff[], base: string): string {
  const suites = diffs.map(({ spec, changes }) => {
    const cases =
      changes.length === 0
        ? [`    <testcase classname="${escapeXml(spec)}" name="unchanged since ${escapeXml(base)}"/>`]
        : changes.map((c) => {
            const open = `    <testcase classname="${escapeXml(spec)}" name="${escapeXml(describe(c))}"`;
            if (!c.breaking) return `${open}/>`;
            const failure = `<failure message="breaking change" type="breaking">${escapeXml(describe(c))}</failure>`;
            return `${open}>\n      ${failure}\n    </testcase>`;
          });
    const failures = changes.filter((c) => c.breaking).length;
    const counts = `tests="${cases.length}" failures="${failures}" errors="0"`;
    return `  <testsuite name="${escapeXml(spec)}" ${counts}>\n${cases.join('\n')}\n  </testsuite>`;
  });
  const tests = diffs.reduce((n, d) => n + Math.max(d.changes.length, 1), 0);
  const failures = diffs.reduce((n, d) => n + d.changes.filter((c) => c.breaking).length, 0);
  const counts = `tests="${tests}" failures="${failures}" errors="0"`;
  const root = `<testsuites name="tombstone diff against ${escapeXml(base)}" ${counts}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n${suites.join('\n')}\n</testsuites>\n`;
}
