/**
 * `tombstone/contract`: the contract runner as a function, for CI scripts and test suites (`tombstone contract`
 * is this plus flag parsing). Options in, a report out; the reporters (text, junit, json) turn a report into what
 * the CLI prints or writes.
 *
 *   const report = await runContract({ variant: 'tavus', baseUrl: 'http://localhost:4010/tavus' });
 */
export { junitReport, type ReporterName, reporters, textReport } from './reporters.js';
export { CHECKS, type CheckResult, type ContractOptions, type ContractReport, runContract } from './runner.js';
