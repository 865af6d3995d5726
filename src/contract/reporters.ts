/**
 * The runner's reports: a readable summary (a line per check and operation, each failure with its request, response
 * and the spec rule broken, every skip with its reason), JUnit XML for CI in the shape Jenkins, GitLab and GitHub
 * test reporters read (https://github.com/testmoapp/junitxml), and JSON for anything else.
 */
import { escapeXml } from '../html.js';
import type { Exchange } from './exchange.js';
import type { CheckResult, ContractReport } from './runner.js';

export const REPORTERS = ['text', 'junit', 'json'] as const;
export type ReporterName = (typeof REPORTERS)[number];

/** Failures printed in full per check; the rest are counted. */
const SHOWN_FAILURES = 3;
const BODY_PREVIEW = 400;

function label(result: CheckResult): string {
  if (result.status === 'skipped') return result.notApplicable ? 'n/a ' : 'skip';
  return result.status === 'passed' ? 'ok  ' : 'FAIL';
}

export function textReport(report: ContractReport): string {
  const width = Math.max(...report.results.map((r) => r.check.length));
  const lines = [`tombstone contract: ${report.variant} at ${report.baseUrl}`, `  ${report.setup}`];
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  for (const operation of report.operations) {
    lines.push('', operation);
    for (const result of report.results.filter((r) => r.operation === operation)) {
      lines.push(`  ${label(result)}  ${result.check.padEnd(width)}  ${detail(result)}`);
      for (const failure of result.failures.slice(0, SHOWN_FAILURES)) {
        lines.push(
          `        ✗ ${failure.message}`,
          `          rule:     ${failure.rule}`,
          ...indent(exchangeText(failure.exchange), '          '),
        );
      }
      if (result.failures.length > SHOWN_FAILURES)
        lines.push(`        … and ${result.failures.length - SHOWN_FAILURES} more`);
    }
  }
  if (report.toleratedHeaders.length > 0) {
    lines.push(
      '',
      'Tolerated undocumented headers (standard or infrastructure; --strict-headers to fail them): ' +
        report.toleratedHeaders.join(', '),
    );
  }
  const skipped = report.results.filter((r) => r.status === 'skipped' && !r.notApplicable);
  if (skipped.length > 0) {
    lines.push('', `Skipped${report.failOnSkip ? ' (each fails the run: --fail-on-skip)' : ''}:`);
    for (const r of skipped) lines.push(`  ${r.check} on ${r.operationId}: ${r.reason}`);
  }
  const c = counts(report);
  const requests = plural(report.exchanges.length, 'request');
  lines.push(
    '',
    `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${c.notApplicable} not applicable; ` +
      `${requests} in ${(report.durationMs / 1000).toFixed(2)} s`,
  );
  return lines.join('\n');
}

function detail(result: CheckResult): string {
  if (result.status === 'skipped') return result.reason ?? '';
  const responses = plural(result.requests, 'response');
  const counted =
    result.status === 'failed' ? `${plural(result.failures.length, 'failure')} in ${responses}` : responses;
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

/** How many results ended each way; a check not applicable to an operation is counted apart from a skip. */
function counts(report: ContractReport): Record<'passed' | 'failed' | 'skipped' | 'notApplicable', number> {
  const is = (test: (r: CheckResult) => boolean) => report.results.filter(test).length;
  return {
    passed: is((r) => r.status === 'passed'),
    failed: is((r) => r.status === 'failed'),
    skipped: is((r) => r.status === 'skipped' && !r.notApplicable),
    notApplicable: is((r) => r.notApplicable === true),
  };
}

function preview(body: string): string {
  return body.length > BODY_PREVIEW ? `${body.slice(0, BODY_PREVIEW)}… (${body.length} bytes)` : body;
}

/**
 * One test suite per run, one test case per check and operation; a skipped check is `<skipped>` with its reason
 * (with --fail-on-skip, a `<failure>`).
 */
export function junitReport(report: ContractReport): string {
  const c = counts(report);
  const failedSkips = report.failOnSkip ? c.skipped : 0;
  const skipped = c.skipped + c.notApplicable - failedSkips;
  const seconds = (report.durationMs / 1000).toFixed(3);
  const cases = report.results.map((result) => {
    const classname = escapeXml(`${report.variant} ${result.operation}`);
    const open = `    <testcase classname="${classname}" name="${escapeXml(result.check)}">`;
    if (result.status === 'passed') return `${open}</testcase>`;
    if (result.status === 'skipped') {
      const reason = `${result.notApplicable ? 'not applicable: ' : ''}${result.reason ?? ''}`;
      const element = report.failOnSkip && !result.notApplicable ? `failure type="skipped"` : 'skipped';
      return `${open}\n      <${element} message="${escapeXml(reason)}"/>\n    </testcase>`;
    }
    const failures = result.failures.map((f) => {
      const text = escapeXml([`rule: ${f.rule}`, ...exchangeText(f.exchange)].join('\n'));
      return `      <failure message="${escapeXml(f.message)}" type="${escapeXml(result.check)}">${text}</failure>`;
    });
    return `${open}\n${failures.join('\n')}\n    </testcase>`;
  });
  const failures = c.failed + failedSkips;
  const totals = `tests="${report.results.length}" failures="${failures}" skipped="${skipped}" time="${seconds}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tombstone contract" ${totals}>`,
    `  <testsuite name="${escapeXml(`${report.variant} at ${report.baseUrl}`)}" ${totals}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The report as JSON: every result with its failures, each failure with its request and response. */
function jsonReport(report: ContractReport): string {
  const { exchanges, results, ...rest } = report;
  return `${JSON.stringify(
    {
      ...rest,
      requests: exchanges.length,
      summary: counts(report),
      results: results.map(({ failures, ...result }) => ({
        ...result,
        failures: failures.map(({ exchange, ...f }) => ({
          ...f,
          request: exchange.request,
          response: exchange.response,
        })),
      })),
    },
    null,
    2,
  )}\n`;
}

export const reporters: Record<ReporterName, (report: ContractReport) => string> = {
  text: textReport,
  junit: junitReport,
  json: jsonReport,
};
