/**
 * Contract plans per operation: a spec fixture that adds a GET to Tavus's delete
 * (test/fixtures/contract-get/openapi/tavus-get.yaml), served by a small hand-written server, is contract-tested
 * with no change to the runner or to Tavus's contract.ts: the GET gets every generic check, called as the spec's
 * examples say; the stateful checks apply to the delete alone. A server whose GET breaks its schema fails there.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Spec } from '../src/conformance.js';
import { junitReport, textReport } from '../src/contract/reporters.js';
import { CHECKS, type ContractCheck, type ContractOptions, runContract } from '../src/contract/runner.js';
import { expected, only, statuses } from './support/contract.js';
import { startDocumentsServer } from './support/documents-server.js';
import { type GeneratedFixture, generateFixture } from './support/generated.js';

const ROOT = 'test/fixtures/contract-get';
const FILE = `${ROOT}/openapi/tavus-get.yaml`;
// Under node_modules/, so that the generated validators find ajv's runtime.
let fixture: GeneratedFixture;
let spec: Spec;

beforeAll(async () => {
  fixture = await generateFixture(ROOT, 'tombstone-contract-get-');
  const load = (name: string) => fixture.load('tavus-get', name);
  spec = { definition: (await load('definition.js')).default, validators: (await load('validators.js')).operations };
}, 60_000);

afterAll(() => fixture.remove());

/** The GET's example names a document of the first account, so that the GET is seen answering 200. */
const EXAMPLE = 'd8-5c71baca86fc';
const STATEFUL: ContractCheck[] = [
  'unknown_parent_resource',
  'use_after_free',
  'idempotency',
  'object_level_authorization',
  'per_item_results',
];

function inputs(): Omit<ContractOptions, 'variant' | 'baseUrl'> {
  return {
    spec: { spec, file: FILE },
    credentials: { apiKey: 'key-a' },
    documents: ['a1', 'a2', 'a3', 'a4', 'a5'],
    other: { credentials: { apiKey: 'key-b' }, documents: ['b1'] },
    strictHeaders: true,
    failOnSkip: true,
  };
}

const accounts = () => ({ 'key-a': [EXAMPLE, 'a1', 'a2', 'a3', 'a4', 'a5'], 'key-b': ['b1'] });

describe('a spec with a GET beside the delete', () => {
  test('every operation is checked: the GET gets the generic checks and passes, the delete every check', async () => {
    const server = await startDocumentsServer({ accounts: accounts() });
    try {
      const report = await runContract({ variant: 'tavus', baseUrl: `${server.origin}/tavus`, ...inputs() });
      expect(report.operations).toEqual([
        'GET /v2/documents/{document_id} (getDocument)',
        'DELETE /v2/documents/{document_id} (deleteDocument)',
      ]);
      expect(statuses(report, 'getDocument')).toEqual(
        expected(only([...STATEFUL, 'missing_required_header'], 'skipped')),
      );
      expect(
        report.results
          .filter((r) => r.operationId === 'getDocument' && STATEFUL.includes(r.check))
          .every((r) => r.notApplicable),
      ).toBe(true);
      expect(statuses(report, 'deleteDocument')).toEqual(
        expected(
          only(['missing_required_header', 'idempotency', 'unknown_parent_resource', 'per_item_results'], 'skipped'),
        ),
      );
      const probe = report.exchanges.find((e) => e.operation === 'getDocument' && e.title.startsWith('probe'))!;
      expect(probe.request).toMatchObject({ method: 'GET', url: `${server.origin}/tavus/v2/documents/${EXAMPLE}` });
      expect(probe.response.status).toBe(200);
      expect(report.ok).toBe(true);
      // The reports name the operation of each result.
      expect(textReport(report)).toMatch(
        /^GET \/v2\/documents\/\{document_id\} \(getDocument\)\n {2}ok {4}not_a_server_error/m,
      );
      expect(junitReport(report)).toContain(
        '<testcase classname="tavus GET /v2/documents/{document_id} (getDocument)" name="ignored_auth">',
      );
      expect(report.results).toHaveLength(2 * CHECKS.length);
    } finally {
      await server.close();
    }
  });

  test('a GET that breaks its schema fails response_schema_conformance on the GET alone', async () => {
    const server = await startDocumentsServer({ accounts: accounts(), brokenGet: true });
    try {
      const report = await runContract({ variant: 'tavus', baseUrl: `${server.origin}/tavus`, ...inputs() });
      const failed = report.results.filter((r) => r.status === 'failed').map((r) => `${r.operationId} ${r.check}`);
      expect(failed).toEqual(['getDocument response_schema_conformance']);
      const failure = report.results.find((r) => r.status === 'failed')!.failures[0]!;
      expect(failure.message).toMatch(/getDocument 200: body \/ must have required property 'document_name'/);
      expect(failure.rule).toBe(`${FILE} GET /v2/documents/{document_id}: responses.200`);
    } finally {
      await server.close();
    }
  });
});
