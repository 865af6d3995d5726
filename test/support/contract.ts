/** Shared by the contract runner's tests: what each variant's spec leaves to check, and reading a report. */
import { CHECKS, type ContractCheck, type ContractReport } from '../../src/contract/runner.js';

export type Status = 'passed' | 'failed' | 'skipped';

/** The checks each variant's spec gives nothing to test (no Idempotency-Key, no header besides the credentials). */
export const NOT_APPLICABLE: Record<string, ContractCheck[]> = {
  leadlex: ['missing_required_header'],
  dify: ['missing_required_header', 'idempotency'],
  tavus: ['missing_required_header', 'idempotency'],
  velt: ['idempotency'],
  oneflow: ['idempotency'],
};

export function statuses(report: ContractReport): Record<string, Status> {
  return Object.fromEntries(report.results.map((r) => [r.check, r.status]));
}

/** Every check `passed`, except those named. */
export function expected(overrides: Partial<Record<ContractCheck, Status>>): Record<string, Status> {
  return Object.fromEntries(CHECKS.map((c) => [c, overrides[c] ?? 'passed']));
}

export function only(checks: ContractCheck[], status: Status): Partial<Record<ContractCheck, Status>> {
  return Object.fromEntries(checks.map((c) => [c, status]));
}
