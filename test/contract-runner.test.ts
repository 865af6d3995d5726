/**
 * The contract runner catches what it claims to: run in process against tombstone's mock (everything passes, run
 * after run), against servers broken in one place each (exactly the right checks fail, with the request, the
 * response and the rule), and against a server that is not tombstone's mock (it skips what it cannot prepare,
 * saying why). One spawn of the CLI checks the exit codes and the JUnit report.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { run } from '../src/commands/contract.js';
import { negativeCalls, rejects } from '../src/contract/negative.js';
import { locateOperation } from '../src/contract/operation.js';
import { plans } from '../src/contract/plans.js';
import type { Inputs } from '../src/contract/prepare.js';
import { specs } from '../src/specs.js';
import { UsageError } from '../src/errors.js';
import { CHECKS, RESPONSE_CHECKS, runContract, type ContractCheck } from '../src/contract/runner.js';
import { startBrokenServer, withoutHeader, type Breakage, type BrokenResponse } from './support/broken.js';
import { expected, NOT_APPLICABLE, only, statuses } from './support/contract.js';
import { startMock, type RunningMock } from './support/mock.js';

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});

describe("against tombstone's mock", () => {
  const cases = Object.entries(NOT_APPLICABLE).map(([given, want]) => ({ given, want }));
  test.each(cases)('$given: every check passes, twice in a row on the same state; not applicable: $want', async ({ given, want }) => {
    for (const _run of [1, 2]) {
      const report = await runContract({ variant: given, baseUrl: `${mock.origin}/${given}` });
      expect(statuses(report)).toEqual(expected(only(want, 'skipped')));
      expect(report.setup).toMatch(/^tombstone mock at .* through \/_mock$/);
    }
  });
});

describe('negative data', () => {
  const cases = [
    { given: 'leadlex', want: ['path parameter id: 129 characters', 'query parameter hard: not a boolean', 'header Idempotency-Key: not a UUID'] },
    { given: 'dify', want: ['path parameter dataset_id: not a UUID', 'path parameter document_id: not a UUID'] },
    { given: 'tavus', want: ['path parameter document_id: 129 characters'] },
    { given: 'oneflow', want: ['path parameter webhookId: 129 characters', 'body: without docId', 'body.docId: 257 characters', 'body.docId: empty', 'body.docId: a number'] },
  ];
  test.each(cases)('$given: the valid call passes the spec\'s validators, each negative one breaks exactly what its title says', ({ given, want }) => {
    const plan = plans[given]!;
    const op = locateOperation(specs[given]!, `openapi/${given}.yaml`, plan.operationId);
    const valid = plan.deleteCall({ dataset: '5f2d8c1e-3b4a-4c6d-8e9f-0a1b2c3d4e5f', webhook: 'abc123xyz' }, 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d');
    expect(rejects(op, valid)).toBe(false);
    const negatives = negativeCalls(op, valid);
    expect(negatives.map((n) => n.title)).toEqual(want);
    expect(negatives.every((n) => rejects(op, n.parts))).toBe(true);
  });
});

// --- broken servers ------------------------------------------------------------------------------------------

/** Changes every response `when` holds for. */
const mapResponses =
  (when: (res: BrokenResponse, req: Parameters<Breakage>[0]) => boolean, change: (res: BrokenResponse) => BrokenResponse): Breakage =>
  async (req, next) => {
    const res = await next(req);
    return when(res, req) ? change(res) : res;
  };

const DEMO_KEY = 'Bearer wbk_your_api_key_here';

const broken: { given: string; variant: string; breakage: Breakage; want: { failing: ContractCheck[]; message: RegExp } }[] = [
  {
    given: 'a delete answered 200 instead of the documented 204',
    variant: 'leadlex',
    breakage: mapResponses((res) => res.status === 204, (res) => ({ ...res, status: 200 })),
    want: { failing: ['status_code_conformance'], message: /^200 is not documented for deleteDocument/ },
  },
  {
    given: 'the required X-Request-ID left out',
    variant: 'leadlex',
    breakage: mapResponses(() => true, (res) => withoutHeader(res, 'X-Request-ID')),
    want: { failing: ['response_headers_conformance'], message: /required header X-Request-ID is missing/ },
  },
  {
    given: 'an undocumented header on every response',
    variant: 'tavus',
    breakage: mapResponses(() => true, (res) => ({ ...res, headers: { ...res.headers, 'X-Powered-By': 'Express' } })),
    want: { failing: ['response_headers_conformance'], message: /header x-powered-by is not documented/ },
  },
  {
    given: 'error bodies off-schema: a property the Error schema does not allow',
    variant: 'dify',
    breakage: mapResponses((res) => res.status >= 400, (res) => ({ ...res, body: { ...(res.body as object), detail: 'extra' } })),
    want: { failing: ['response_schema_conformance'], message: /must NOT have additional properties \(detail\)/ },
  },
  {
    given: 'errors sent as an HTML page',
    variant: 'oneflow',
    breakage: mapResponses((res) => res.status >= 400, (res) => ({ ...res, headers: { ...res.headers, 'Content-Type': 'text/html' }, body: '<h1>Error</h1>' })),
    want: { failing: ['content_type_conformance'], message: /content-type text\/html is not one of application\/json/ },
  },
  {
    given: 'a 500 for every body the spec rejects',
    variant: 'velt',
    breakage: mapResponses((res) => res.status === 400, (res) => ({ ...res, status: 500 })),
    want: { failing: ['not_a_server_error', 'status_code_conformance', 'negative_data_rejection'], message: /^server error 500$/ },
  },
  {
    given: 'authentication ignored: a request without a valid key runs as the demo key',
    variant: 'leadlex',
    breakage: async (req, next) => {
      const res = await next(req);
      return res.status === 401 ? next({ ...req, headers: { ...req.headers, authorization: DEMO_KEY } }) : res;
    },
    want: { failing: ['ignored_auth'], message: /^without credentials: expected 401, the documented authentication failure; got 404$/ },
  },
  {
    given: "a webhook's secret not enforced",
    variant: 'oneflow',
    breakage: mapResponses((res) => res.status === 401, () => ({ status: 404, body: { error: 'Document not found' } })),
    want: { failing: ['ignored_auth'], message: /^without credentials: expected 401.*; got 404$/ },
  },
  {
    given: 'a delete that does not delete: a missing document is deleted "successfully" too',
    variant: 'leadlex',
    breakage: mapResponses((res, req) => req.method === 'DELETE' && res.status === 404, (res) => ({ status: 204, headers: res.headers ?? {} })),
    want: { failing: ['use_after_free'], message: /^the second delete of [0-9a-f-]{36} did not report it gone: got 204$/ },
  },
  {
    given: 'a second bulk delete reports "Deleted Successfully" again',
    variant: 'velt',
    breakage: mapResponses(
      (res) => res.status === 200,
      (res) => ({ ...res, body: JSON.parse(JSON.stringify(res.body).replaceAll('Document does not exist', 'Deleted Successfully')) }),
    ),
    want: { failing: ['use_after_free'], message: /did not report it gone: got 200 \{"result"/ },
  },
  {
    given: '405 without Allow',
    variant: 'tavus',
    breakage: mapResponses((res) => res.status === 405, (res) => withoutHeader(res, 'Allow')),
    want: { failing: ['response_headers_conformance', 'unsupported_method'], message: /required header Allow is missing/ },
  },
  {
    given: 'an unsupported method answered 404',
    variant: 'dify',
    breakage: async (req, next) => (req.method === 'GET' ? { status: 404, body: { status: 404, code: 'not_found', message: 'Document Not Exists.' } } : next(req)),
    want: { failing: ['unsupported_method'], message: /^GET: expected 405; got 404; no Allow header$/ },
  },
  {
    given: 'invalid input accepted: a hard=<not a boolean> is ignored',
    variant: 'leadlex',
    breakage: async (req, next) => next({ ...req, query: new URLSearchParams([...new URLSearchParams(req.query)].filter(([k, v]) => k !== 'hard' || v === 'true' || v === 'false')).toString() }),
    want: { failing: ['negative_data_rejection'], message: /^query parameter hard: not a boolean: expected a documented 4xx \(400, 401, 403, 404, 405, 409, 413, 422, 429\); got 204$/ },
  },
  {
    given: 'x-velt-auth-token not required: a key alone is enough to reach the organization lookup',
    variant: 'velt',
    breakage: mapResponses(
      (res, req) => res.status === 401 && req.headers['x-velt-api-key'] !== undefined && req.headers['x-velt-auth-token'] === undefined,
      () => ({ status: 404, body: { error: { message: 'Organization not found', status: 'NOT_FOUND' } } }),
    ),
    want: { failing: ['missing_required_header'], message: /^without x-velt-auth-token: expected 401, the documented authentication failure; got 404$/ },
  },
  {
    given: 'an Idempotency-Key replay without Idempotent-Replayed',
    variant: 'leadlex',
    breakage: mapResponses(() => true, (res) => withoutHeader(res, 'Idempotent-Replayed')),
    want: { failing: ['idempotency'], message: /^the replay differs from the first response: no Idempotent-Replayed: true$/ },
  },
  {
    given: 'the Idempotency-Key header ignored altogether (an invalid one accepted, a replay deletes again)',
    variant: 'leadlex',
    breakage: async (req, next) => {
      const { 'idempotency-key': _, ...headers } = req.headers;
      return next({ ...req, headers });
    },
    want: { failing: ['negative_data_rejection', 'idempotency'], message: /^the replay differs from the first response: status 404, first 204; a different body; no Idempotent-Replayed: true$/ },
  },
];

describe('against a server broken in one place, exactly the checks that catch it fail', () => {
  test.each(broken)('$variant, $given: $want.failing', async ({ variant, breakage, want }) => {
    const server = await startBrokenServer(breakage);
    try {
      const report = await runContract({ variant, baseUrl: `${server.origin}/${variant}` });
      expect(statuses(report)).toEqual(expected({ ...only(NOT_APPLICABLE[variant]!, 'skipped'), ...only(want.failing, 'failed') }));
      expect(report.ok).toBe(false);
      const failures = report.results.filter((r) => r.status === 'failed').flatMap((r) => r.failures);
      const failure = failures.find((f) => want.message.test(f.message));
      expect(failure, failures.map((f) => f.message).join('\n')).toBeDefined();
      // Every failure carries what a reader needs: the request, the response and the rule.
      for (const f of failures) {
        expect(f.rule).toMatch(new RegExp(`^openapi/${variant}\\.yaml (DELETE|POST) /\\S+: \\S`));
        expect(f.exchange.request.url).toMatch(new RegExp(`^${server.origin}/${variant}/`));
        expect(f.exchange.response.status).toBeGreaterThan(0);
      }
    } finally {
      await server.close();
    }
  });
});

// --- another server: inputs from the caller -----------------------------------------------------------------

const unprepared: { given: string; variant: string; inputs: Inputs; want: Partial<Record<ContractCheck, RegExp>> }[] = [
  {
    given: 'nothing: only what needs no credentials runs',
    variant: 'leadlex',
    inputs: {},
    want: {
      negative_data_rejection: /^needs valid credentials \(--api-key\), or authentication would answer before/,
      missing_required_header: /^deleteDocument requires no header besides its credentials/,
      unsupported_method: /^needs valid credentials \(--api-key\)/,
      use_after_free: /^needs valid credentials \(--api-key\)/,
      idempotency: /^needs valid credentials \(--api-key\)/,
    },
  },
  {
    given: 'a key and no documents',
    variant: 'leadlex',
    inputs: { credentials: { apiKey: 'wbk_your_api_key_here' } },
    want: {
      missing_required_header: /requires no header/,
      use_after_free: /^needs a document it may delete \(--document <id>, or TOMBSTONE_DOCUMENT_IDS\)$/,
      idempotency: /^needs a document it may delete besides use_after_free's/,
    },
  },
  {
    given: 'a key and three documents: everything runs',
    variant: 'leadlex',
    inputs: { credentials: { apiKey: 'wbk_your_api_key_here' }, documents: ['doc_01HY2', 'doc_01HY3', 'doc_01HY4'] },
    want: { missing_required_header: /requires no header/ },
  },
  {
    given: 'a key and documents but no knowledge base',
    variant: 'dify',
    inputs: { credentials: { apiKey: '{API_KEY}' }, documents: ['b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e'] },
    want: { missing_required_header: /requires no header/, use_after_free: /^needs --dataset, where the documents it deletes live$/, idempotency: /Idempotency-Key/ },
  },
  {
    given: 'a webhook without a secret: credentials are optional, so ignored_auth has nothing to enforce',
    variant: 'oneflow',
    inputs: { scope: { webhook: 'open-webhook' }, documents: ['doc_open_1'] },
    want: { ignored_auth: /^the spec makes credentials optional \(security lists \{\}\): needs a tenant that requires them \(--secret\)$/, idempotency: /Idempotency-Key/ },
  },
];

describe('against a server that is not tombstone\'s mock, it uses the inputs given and skips what it cannot prepare', () => {
  test.each(unprepared)('$variant, $given', async ({ variant, inputs, want }) => {
    const server = await startBrokenServer((req, next) => next(req), { control: false });
    try {
      const report = await runContract({ variant, baseUrl: `${server.origin}/${variant}`, ...inputs });
      expect(statuses(report)).toEqual(expected(only(Object.keys(want) as ContractCheck[], 'skipped')));
      for (const [check, reason] of Object.entries(want)) expect(report.results.find((r) => r.check === check)?.reason).toMatch(reason);
      expect(report.results.filter((r) => (RESPONSE_CHECKS as readonly ContractCheck[]).includes(r.check)).every((r) => r.requests > 0)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

// --- the CLI ---------------------------------------------------------------------------------------------------

function spawnCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/tombstone.js', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tombstone contract', () => {
  test('exits 0 when every check passes or does not apply, printing a line per check', async () => {
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    try {
      expect(await run(['--variant', 'tavus', '--base-url', `${mock.origin}/tavus`])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const lines = printed.join('\n').split('\n');
    expect(lines.filter((l) => /^ {2}(ok  |skip) {2}\w+/.test(l))).toHaveLength(CHECKS.length);
    expect(lines.at(-1)).toMatch(/^9 passed, 0 failed, 2 skipped; \d+ requests in [\d.]+ s$/);
  });

  const usageErrors = [
    { given: ['--base-url', 'http://127.0.0.1:4010/tavus'], want: /^--variant must be one of leadlex, dify, tavus, velt, oneflow$/ },
    { given: ['--variant', 'acme', '--base-url', 'http://127.0.0.1:4010/acme'], want: /, got 'acme'$/ },
    { given: ['--variant', 'tavus', '--base-url', 'localhost:4010'], want: /^--base-url must be an http\(s\) URL such as http:\/\/localhost:4010\/tavus, got 'localhost:4010'$/ },
    { given: ['--variant', 'tavus', '--base-url', 'http://127.0.0.1:4010/tavus', '--secret', 's'], want: /^--secret does not apply to tavus$/ },
    { given: ['--variant', 'velt', '--base-url', 'http://127.0.0.1:4010/velt', '--document', 'd1'], want: /^--document needs --organization too/ },
    { given: ['--variant', 'tavus', '--base-url', 'http://127.0.0.1:4010/tavus', '--reporter', 'junit'], want: /^--reporter junit needs --output <file>$/ },
    { given: ['--variant', 'tavus', '--base-url', 'http://127.0.0.1:4010/tavus', '--control-url', 'http://127.0.0.1:4010', '--api-key', 'k'], want: /^--control-url prepares its own tenant/ },
  ];
  test.each(usageErrors)('a usage error (exit 2): $want', async ({ given, want }) => {
    const error = await run(given).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message.replace(/^\[tombstone\] /, '')).toMatch(want);
  });

  test('as a process: exit 1 on a failure, with the failure in the summary and the JUnit report', async () => {
    const server = await startBrokenServer(mapResponses((res) => res.status === 405, (res) => withoutHeader(res, 'Allow')));
    const dir = await mkdtemp(path.join(tmpdir(), 'tombstone-contract-'));
    const junit = path.join(dir, 'contract.xml');
    try {
      const fail = await spawnCli(['contract', '--variant', 'tavus', '--base-url', `${server.origin}/tavus`, '--reporter', 'junit', '--output', junit]);
      expect(fail).toMatchObject({ code: 1, stderr: '' });
      expect(fail.stdout).toMatch(/^ {2}FAIL {2}unsupported_method +1 failure in 1 response$/m);
      expect(fail.stdout).toContain(`request:  GET ${server.origin}/tavus/v2/documents/`);
      expect(fail.stdout).toMatch(/rule: {5}openapi\/tavus\.yaml DELETE \/v2\/documents\/\{document_id\}: responses\.405 with Allow: DELETE/);
      const xml = await readFile(junit, 'utf8');
      expect(xml).toMatch(/<testsuites name="tombstone contract" tests="11" failures="2" skipped="2" /);
      expect(xml.match(/<testcase /g)).toHaveLength(11);
      expect(xml).toContain('<testcase classname="tavus DELETE /v2/documents/{document_id} (deleteDocument)" name="unsupported_method">\n      <failure message="GET: no Allow header"');
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
