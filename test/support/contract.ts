/** Shared by the contract runner's tests: what each variant's spec leaves to check, and reading a report. */
import { CHECKS, type ContractCheck, type ContractReport } from '../../src/contract/runner.js';

export type Status = 'passed' | 'failed' | 'skipped';

/**
 * The checks each variant's spec (and contract.ts) gives nothing to test: no Idempotency-Key, no header besides the
 * credentials, no parent resource, no result per document.
 */
export const NOT_APPLICABLE: Partial<Record<string, ContractCheck[]>> = {
  leadlex: ['missing_required_header', 'unknown_parent_resource', 'per_item_results'],
  dify: ['missing_required_header', 'idempotency', 'per_item_results'],
  tavus: ['missing_required_header', 'idempotency', 'unknown_parent_resource', 'per_item_results'],
  velt: ['idempotency'],
  oneflow: ['idempotency', 'per_item_results'],
};

/** Each check's status, for one operation (default: the report's only one). */
export function statuses(report: ContractReport, operationId?: string): Record<string, Status> {
  const results = report.results.filter((r) => operationId === undefined || r.operationId === operationId);
  const checks = results.map((r) => r.check);
  if (new Set(checks).size !== checks.length) throw new Error('the report has several operations: name one');
  return Object.fromEntries(results.map((r) => [r.check, r.status]));
}

/** Every check (or every one of `checks`) `passed`, except those named. */
export function expected(
  overrides: Partial<Record<ContractCheck, Status>>,
  checks: ContractCheck[] = CHECKS,
): Record<string, Status> {
  return Object.fromEntries(checks.map((c) => [c, overrides[c] ?? 'passed']));
}

export function only(checks: ContractCheck[], status: Status): Partial<Record<ContractCheck, Status>> {
  return Object.fromEntries(checks.map((c) => [c, status]));
}
