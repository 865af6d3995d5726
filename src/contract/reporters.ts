/**
 * The runner's reports: a readable summary (a line per check, each failure with its request, response and the
 * spec rule broken) and JUnit XML for CI, in the shape Jenkins, GitLab and GitHub test reporters read
 * (https://github.com/testmoapp/junitxml).
 */
import { escapeXml } from '../core/html.js';
import type { Exchange } from './exchange.js';
import type { CheckResult, ContractReport } from './runner.js';

/** Failures printed in full per check; the rest are counted. */
const SHOWN_FAILURES = 3;
const BODY_PREVIEW = 400;

const LABEL = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip' } as const;

export function textReport(report: ContractReport): string {
  const width = Math.max(...report.results.map((r) => r.check.length));
  const lines = [`tombstone contract: ${report.variant} at ${report.baseUrl}`, `  ${report.setup}`, '', report.operation];
  for (const result of report.results) {
    lines.push(`  ${LABEL[result.status]}  ${result.check.padEnd(width)}  ${detail(result)}`);
    for (const failure of result.failures.slice(0, SHOWN_FAILURES)) {
      lines.push(`        ✗ ${failure.message}`, `          rule:     ${failure.rule}`, ...indent(exchangeText(failure.exchange), '          '));
    }
    if (result.failures.length > SHOWN_FAILURES) lines.push(`        … and ${result.failures.length - SHOWN_FAILURES} more`);
  }
  const count = (status: CheckResult['status']) => countResults(report, status);
  lines.push('', `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped; ${plural(report.exchanges.length, 'request')} in ${(report.durationMs / 1000).toFixed(2)} s`);
  return lines.join('\n');
}

function detail(result: CheckResult): string {
  if (result.status === 'skipped') return result.reason ?? '';
  const counted = result.status === 'failed' ? `${plural(result.failures.length, 'failure')} in ${plural(result.requests, 'response')}` : plural(result.requests, 'response');
  return result.reason ? `${counted}; ${result.reason}` : counted;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function indent(lines: string[], prefix: string): string[] {
  return lines.map((line) => `${prefix}${line}`);
}

/** The exchange as the request and response lines a reader can replay with curl. */
function exchangeText({ request, response }: Exchange): string[] {
  const lines = [`request:  ${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`          ${name}: ${value}`);
  if (request.body !== undefined) lines.push(`          ${preview(request.body)}`);
  lines.push(`response: ${response.status}`);
  for (const [name, value] of Object.entries(response.headers)) lines.push(`          ${name}: ${value}`);
  if (response.body !== '') lines.push(`          ${preview(response.body)}`);
  return lines;
}

/** How many of the run's checks ended with `status`. */
function countResults(report: ContractReport, status: CheckResult['status']): number {
  return report.results.filter((r) => r.status === status).length;
}

function preview(body: string): string {
  return body.length > BODY_PREVIEW ? `${body.slice(0, BODY_PREVIEW)}… (${body.length} bytes)` : body;
}

/** One test suite per run, one test case per check; a skipped check is `<skipped>` with its reason. */
export function junitReport(report: ContractReport): string {
  const count = (status: CheckResult['status']) => countResults(report, status);
  const seconds = (report.durationMs / 1000).toFixed(3);
  const cases = report.results.map((result) => {
    const open = `    <testcase classname="${escapeXml(`${report.variant} ${report.operation}`)}" name="${escapeXml(result.check)}">`;
    if (result.status === 'passed') return `${open}</testcase>`;
    if (result.status === 'skipped') return `${open}\n      <skipped message="${escapeXml(result.reason ?? '')}"/>\n    </testcase>`;
    const failures = result.failures.map((f) => `      <failure message="${escapeXml(f.message)}" type="${escapeXml(result.check)}">${escapeXml([`rule: ${f.rule}`, ...exchangeText(f.exchange)].join('\n'))}</failure>`);
    return `${open}\n${failures.join('\n')}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tombstone contract" tests="${report.results.length}" failures="${count('failed')}" skipped="${count('skipped')}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(`${report.variant} at ${report.baseUrl}`)}" tests="${report.results.length}" failures="${count('failed')}" skipped="${count('skipped')}" time="${seconds}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
