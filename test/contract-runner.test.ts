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
import type { components } from '../generated/mock-admin/types.js';
import type { components as veltTypes } from '../generated/velt/types.js';
import { run } from '../src/cli/commands/contract.js';
import { shapedLike } from '../src/contract/checks.js';
import { negativeCalls, rejects } from '../src/contract/negative.js';
import { locateOperation } from '../src/contract/operation.js';
import { positiveCalls } from '../src/contract/positive.js';
import type { Inputs } from '../src/contract/prepare.js';
import { junitReport, textReport } from '../src/contract/reporters.js';
import { CHECKS, type CheckResult, type ContractCheck, RESPONSE_CHECKS, runContract } from '../src/contract/runner.js';
import { UsageError } from '../src/errors.js';
import { contracts, specs } from '../src/specs.js';
import { variantNames } from '../src/variants/registry.js';
import { type Breakage, type BrokenResponse, startBrokenServer, withoutHeader } from './support/broken.js';
import { expected, NOT_APPLICABLE, only, statuses } from './support/contract.js';
import { type RunningMock, startMock } from './support/mock.js';

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});

describe("against tombstone's mock", () => {
  // Every registered variant; the table pins which checks do not apply to the five known ones.
  const cases = variantNames.map((given) => ({ given, want: NOT_APPLICABLE[given] }));
  test.each(cases)(
    '$given: every check passes with --strict-headers --fail-on-skip, twice in a row; not applicable: $want',
    async ({ given, want }) => {
      for (const _run of [1, 2]) {
        const report = await runContract({
          variant: given,
          baseUrl: `${mock.origin}/${given}`,
          strictHeaders: true,
          failOnSkip: true,
        });
        if (want) expect(statuses(report)).toEqual(expected(only(want, 'skipped')));
        expect(report.results.filter((r) => r.status === 'skipped').every((r) => r.notApplicable)).toBe(true);
        expect(report.ok).toBe(true);
        expect(report.setup).toMatch(/^tombstone mock at .*: added .* and .* with 5 and 1 documents through \/_mock$/);
      }
    },
  );
});

const RAW_BODIES = ['body: not JSON', 'body: truncated JSON', 'body: JSON sent as text/plain'];

describe('negative and positive data', () => {
  const cases = [
    {
      given: 'leadlex',
      negative: [
        'path parameter id: 129 characters',
        'query parameter hard: not a boolean',
        'header Idempotency-Key: not a UUID',
      ],
      positive: [
        'path parameter id: 128 characters',
        'path parameter id: 1 characters',
        'query parameter hard: true',
        'query parameter hard: false',
        'header Idempotency-Key: a fresh UUID',
      ],
    },
    {
      given: 'dify',
      negative: ['path parameter dataset_id: not a UUID', 'path parameter document_id: not a UUID'],
      positive: ['path parameter dataset_id: a fresh UUID', 'path parameter document_id: a fresh UUID'],
    },
    {
      given: 'tavus',
      negative: ['path parameter document_id: 129 characters'],
      positive: ['path parameter document_id: 128 characters', 'path parameter document_id: 1 characters'],
    },
    {
      given: 'oneflow',
      negative: [
        'path parameter webhookId: 129 characters',
        'body: without docId',
        'body: an array',
        'body: a string',
        'body.docId: 257 characters',
        'body.docId: empty',
        'body.docId: a number',
        'body.docId: an array',
        'body.docId: an object',
        ...RAW_BODIES,
      ],
      // webhookId has a pattern: the runner makes up no value for one.
      positive: ['body.docId: 256 characters', 'body.docId: 1 characters'],
    },
  ];
  test.each(cases)(
    "$given: the valid call passes the spec's validators; each negative one breaks what its title says, each positive one passes",
    ({ given, negative, positive }) => {
      const [operationId, plan] = Object.entries(contracts[given]!.operations)[0]!;
      const op = locateOperation(specs[given]!, `openapi/${given}.yaml`, operationId);
      const valid = plan.call(
        { dataset: '5f2d8c1e-3b4a-4c6d-8e9f-0a1b2c3d4e5f', webhook: 'abc123xyz' },
        'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      );
      expect(rejects(op, valid)).toBe(false);
      const negatives = negativeCalls(op, valid);
      expect(negatives.map((n) => n.title)).toEqual(negative);
      // The validators read parsed JSON: bytes that are not JSON, or not sent as JSON, are refused by requestBody.content.
      expect(
        negatives.every((n) => (RAW_BODIES.includes(n.title) ? n.parts.raw !== undefined : rejects(op, n.parts))),
      ).toBe(true);
      const positives = positiveCalls(op, valid);
      expect(positives.map((p) => p.title)).toEqual(positive);
      expect(positives.some((p) => rejects(op, p.parts))).toBe(false);
    },
  );
});

describe('credentials shaped like valid ones', () => {
  const letters = [...'abcdefghijklmnopqrstuvwxyz'];
  const cases = [
    { given: 'wbk_contract_ab12CD', known: [], want: /^wbk_contract_[a-z]{2}[0-9]{2}[A-Z]{2}$/ },
    { given: 'velt-contract-token-0a1b', known: [], want: /^velt-contract-token-[0-9][a-z][0-9][a-z]$/ },
    // Every other one-letter tail is another tenant's key: only key-z is left.
    { given: 'key-a', known: letters.filter((c) => c !== 'z').map((c) => `key-${c}`), want: /^key-z$/ },
    { given: '<api-key>', known: [], want: /^<api-[a-z]{3}>$/ },
    { given: '!!', known: [], want: /^!!x$/ },
  ];
  test.each(cases)('$given → $want', ({ given, known, want }) => {
    const shaped = shapedLike(given, known);
    expect(shaped).toMatch(want);
    expect(shaped).not.toBe(given);
  });
});

// --- broken servers ------------------------------------------------------------------------------------------

/** Changes every response `when` holds for. */
const mapResponses =
  (
    when: (res: BrokenResponse, req: Parameters<Breakage>[0]) => boolean,
    change: (res: BrokenResponse) => BrokenResponse,
  ): Breakage =>
  async (req, next) => {
    const res = await next(req);
    return when(res, req) ? change(res) : res;
  };

const DEMO_KEY = 'Bearer wbk_your_api_key_here';

/** The variant's state, read through the control API as any client would (openapi/mock-admin.yaml getState). */
async function state<V extends keyof Seeds>(next: Parameters<Breakage>[1], variant: V): Promise<Seeds[V]> {
  const res = await next({ method: 'GET', path: `/_mock/state/${variant}`, query: '', headers: {} });
  return (res.body as { data: Seeds[V] }).data;
}

type Seeds = {
  leadlex: components['schemas']['LeadlexSeed'];
  dify: components['schemas']['DifySeed'];
  velt: components['schemas']['VeltSeed'];
};
type VeltResult = veltTypes['schemas']['DeleteDocumentsResponse']['result'];

function parseBody(body: string | undefined): Record<string, unknown> | undefined {
  try {
    return body === undefined ? undefined : JSON.parse(body);
  } catch {
    return undefined;
  }
}

const broken: {
  given: string;
  variant: string;
  breakage: Breakage;
  want: { failing: ContractCheck[]; message: RegExp };
}[] = [
  {
    given: 'a delete answered 200 instead of the documented 204',
    variant: 'leadlex',
    breakage: mapResponses(
      (res) => res.status === 204,
      (res) => ({ ...res, status: 200 }),
    ),
    want: { failing: ['status_code_conformance'], message: /^200 is not documented for deleteDocument/ },
  },
  {
    given: 'the required X-Request-ID left out',
    variant: 'leadlex',
    breakage: mapResponses(
      () => true,
      (res) => withoutHeader(res, 'X-Request-ID'),
    ),
    want: { failing: ['response_headers_conformance'], message: /required header X-Request-ID is missing/ },
  },
  {
    given: 'an undocumented header on every response',
    variant: 'tavus',
    breakage: mapResponses(
      () => true,
      (res) => ({ ...res, headers: { ...res.headers, 'X-Powered-By': 'Express' } }),
    ),
    want: { failing: ['response_headers_conformance'], message: /header x-powered-by is not documented/ },
  },
  {
    given: 'error bodies off-schema: a property the Error schema does not allow',
    variant: 'dify',
    breakage: mapResponses(
      (res) => res.status >= 400,
      (res) => ({ ...res, body: { ...(res.body as object), detail: 'extra' } }),
    ),
    want: { failing: ['response_schema_conformance'], message: /must NOT have additional properties \(detail\)/ },
  },
  {
    given: 'errors sent as an HTML page',
    variant: 'oneflow',
    breakage: mapResponses(
      (res) => res.status >= 400,
      (res) => ({ ...res, headers: { ...res.headers, 'Content-Type': 'text/html' }, body: '<h1>Error</h1>' }),
    ),
    want: { failing: ['content_type_conformance'], message: /content-type text\/html is not one of application\/json/ },
  },
  {
    given: 'a 500 for every body the spec rejects',
    variant: 'velt',
    breakage: mapResponses(
      (res) => res.status === 400,
      (res) => ({ ...res, status: 500 }),
    ),
    want: {
      failing: ['not_a_server_error', 'status_code_conformance', 'negative_data_rejection'],
      message: /^server error 500$/,
    },
  },
  {
    given: 'authentication ignored: a request without a valid key runs as the demo key',
    variant: 'leadlex',
    breakage: async (req, next) => {
      const res = await next(req);
      return res.status === 401 ? next({ ...req, headers: { ...req.headers, authorization: DEMO_KEY } }) : res;
    },
    want: {
      failing: ['ignored_auth'],
      message: /^without credentials: expected 401, the documented authentication failure; got 404$/,
    },
  },
  {
    given: "a webhook's secret not enforced",
    variant: 'oneflow',
    breakage: mapResponses(
      (res) => res.status === 401,
      () => ({ status: 404, body: { error: 'Document not found' } }),
    ),
    want: { failing: ['ignored_auth'], message: /^without credentials: expected 401.*; got 404$/ },
  },
  {
    given: 'a delete that does not delete: a missing document is deleted "successfully" too',
    variant: 'leadlex',
    breakage: mapResponses(
      (res, req) => req.method === 'DELETE' && res.status === 404,
      (res) => ({ status: 204, headers: res.headers ?? {} }),
    ),
    // Another tenant's document is "deleted" too, and is then still there for its owner.
    want: {
      failing: ['use_after_free', 'object_level_authorization'],
      message: /^the second delete of [0-9a-f-]{36} did not report it gone: got 204$/,
    },
  },
  {
    given: 'a second bulk delete reports "Deleted Successfully" again',
    variant: 'velt',
    breakage: mapResponses(
      (res) => res.status === 200,
      (res) => ({
        ...res,
        body: JSON.parse(JSON.stringify(res.body).replaceAll('Document does not exist', 'Deleted Successfully')),
      }),
    ),
    want: {
      failing: ['use_after_free', 'object_level_authorization', 'per_item_results'],
      message: /did not report it gone: got 200 \{"result"/,
    },
  },
  {
    given: '405 without Allow',
    variant: 'tavus',
    breakage: mapResponses(
      (res) => res.status === 405,
      (res) => withoutHeader(res, 'Allow'),
    ),
    want: {
      failing: ['response_headers_conformance', 'unsupported_method'],
      message: /required header Allow is missing/,
    },
  },
  {
    given: 'an unsupported method answered 404',
    variant: 'dify',
    breakage: async (req, next) =>
      req.method === 'GET'
        ? { status: 404, body: { status: 404, code: 'not_found', message: 'Document Not Exists.' } }
        : next(req),
    want: { failing: ['unsupported_method'], message: /^GET: expected 405; got 404; no Allow header$/ },
  },
  {
    given: 'invalid input accepted: a hard=<not a boolean> is ignored',
    variant: 'leadlex',
    breakage: async (req, next) =>
      next({
        ...req,
        query: new URLSearchParams(
          [...new URLSearchParams(req.query)].filter(([k, v]) => k !== 'hard' || v === 'true' || v === 'false'),
        ).toString(),
      }),
    want: {
      failing: ['negative_data_rejection'],
      message:
        /^query parameter hard: not a boolean: expected a documented 4xx \(400, 401, 403, 404, 405, 409, 413, 422, 429\); got 204$/,
    },
  },
  {
    given: 'x-velt-auth-token not required: a key alone is enough to reach the organization lookup',
    variant: 'velt',
    breakage: mapResponses(
      (res, req) =>
        res.status === 401 &&
        req.headers['x-velt-api-key'] !== undefined &&
        req.headers['x-velt-auth-token'] === undefined,
      () => ({ status: 404, body: { error: { message: 'Organization not found', status: 'NOT_FOUND' } } }),
    ),
    want: {
      failing: ['missing_required_header'],
      message: /^without x-velt-auth-token: expected 401, the documented authentication failure; got 404$/,
    },
  },
  {
    given: 'an Idempotency-Key replay without Idempotent-Replayed',
    variant: 'leadlex',
    breakage: mapResponses(
      () => true,
      (res) => withoutHeader(res, 'Idempotent-Replayed'),
    ),
    want: {
      failing: ['idempotency'],
      message: /^the replay differs from the first response: no Idempotent-Replayed: true$/,
    },
  },
  {
    given: 'the Idempotency-Key header ignored altogether (an invalid one accepted, a replay deletes again)',
    variant: 'leadlex',
    breakage: async (req, next) => {
      const { 'idempotency-key': _, ...headers } = req.headers;
      return next({ ...req, headers });
    },
    want: {
      failing: ['negative_data_rejection', 'idempotency'],
      message:
        /^the replay differs from the first response: status 404, first 204; a different body; no Idempotent-Replayed: true$/,
    },
  },

  // The checks of [contract-runner-2]: each server below is caught by exactly one check.
  {
    given:
      "one tenant deletes another's document (OWASP API1): a document of another workspace is deleted with its owner's key",
    variant: 'leadlex',
    breakage: async (req, next) => {
      const res = await next(req);
      if (req.method !== 'DELETE' || res.status !== 404) return res;
      const id = decodeURIComponent(req.path.split('/').pop()!);
      const owner = (await state(next, 'leadlex')).workspaces.find((w) => w.documents.some((d) => d.id === id));
      return owner ? next({ ...req, headers: { ...req.headers, authorization: `Bearer ${owner.keys[0]!.key}` } }) : res;
    },
    want: {
      failing: ['object_level_authorization'],
      message: /^the other tenant's document \S+ did not get the answer a missing one gets: got 204$/,
    },
  },
  {
    given:
      "an app deletes in another app's organization (OWASP API1): an organization not the key's is used as its owner's",
    variant: 'velt',
    breakage: async (req, next) => {
      const res = await next(req);
      const organization = (parseBody(req.body)?.['data'] as { organizationId?: string } | undefined)?.organizationId;
      if (res.status !== 404 || organization === undefined) return res;
      const owner = (await state(next, 'velt')).apps.find((a) => a.organizations.some((o) => o.id === organization));
      if (!owner) return res;
      const credentials = { 'x-velt-api-key': owner.apiKey, 'x-velt-auth-token': owner.authTokens[0]!.token };
      return next({ ...req, headers: { ...req.headers, ...credentials } });
    },
    want: {
      failing: ['object_level_authorization'],
      message: /^the other tenant's scope answered this tenant's credentials: got 200 /,
    },
  },
  {
    given: 'any key of the documented shape (wbk_…) accepted: it runs as the demo key',
    variant: 'leadlex',
    breakage: async (req, next) => {
      const res = await next(req);
      const shaped = res.status === 401 && /^Bearer wbk_/.test(req.headers['authorization'] ?? '');
      return shaped ? next({ ...req, headers: { ...req.headers, authorization: DEMO_KEY } }) : res;
    },
    want: {
      failing: ['ignored_auth'],
      message:
        /^with credentials shaped like valid ones \(wbk_contract_\w+\): expected 401, the documented authentication failure; got 404$/,
    },
  },
  {
    given: "Velt's key accepted with a wrong auth token: the token is not checked against the key",
    variant: 'velt',
    breakage: async (req, next) => {
      const res = await next(req);
      if (res.status !== 401 || req.headers['x-velt-auth-token'] === undefined) return res;
      const app = (await state(next, 'velt')).apps.find((a) => a.apiKey === req.headers['x-velt-api-key']);
      return app ? next({ ...req, headers: { ...req.headers, 'x-velt-auth-token': app.authTokens[0]!.token } }) : res;
    },
    want: { failing: ['ignored_auth'], message: /^with only x-velt-auth-token invalid: expected 401.*; got 200$/ },
  },
  {
    given: "Velt's auth token accepted with a wrong key: the key is not checked against the token",
    variant: 'velt',
    breakage: async (req, next) => {
      const res = await next(req);
      if (res.status !== 401 || req.headers['x-velt-api-key'] === undefined) return res;
      const token = req.headers['x-velt-auth-token'];
      const app = (await state(next, 'velt')).apps.find((a) => a.authTokens.some((t) => t.token === token));
      return app ? next({ ...req, headers: { ...req.headers, 'x-velt-api-key': app.apiKey } }) : res;
    },
    want: { failing: ['ignored_auth'], message: /^with only x-velt-api-key invalid: expected 401.*; got 200$/ },
  },
  {
    given: 'an array or object where the docId string belongs is unwrapped and used',
    variant: 'oneflow',
    breakage: async (req, next) => {
      const body = parseBody(req.body);
      const docId = body?.docId;
      if (!docId || typeof docId !== 'object') return next(req);
      return next({
        ...req,
        body: JSON.stringify({ ...body, docId: Array.isArray(docId) ? docId[0] : Object.values(docId)[0] }),
      });
    },
    want: {
      failing: ['negative_data_rejection'],
      message: /^body\.docId: an array: expected a documented 4xx \([\d, ]+\); got 200$/,
    },
  },
  {
    given: 'a body that is not JSON, or is cut short, answered as an empty success',
    variant: 'velt',
    breakage: async (req, next) =>
      req.body !== undefined && parseBody(req.body) === undefined
        ? {
            status: 200,
            body: { result: { status: 'success', message: 'Document(s) deleted successfully.', data: {} } },
          }
        : next(req),
    want: {
      failing: ['negative_data_rejection'],
      message: /^body: truncated JSON: expected a documented 4xx \([\d, ]+\); got 200$/,
    },
  },
  {
    given: 'an unknown webhook (of a valid ID) answered as a successful delete',
    variant: 'oneflow',
    breakage: mapResponses(
      (res, req) =>
        res.status === 404 &&
        (res.body as { error?: string }).error === 'Webhook not found' &&
        req.path.split('/')[4]!.length <= 128,
      () => ({ status: 200, body: { success: true, message: 'Document deleted successfully', documentId: 'unknown' } }),
    ),
    want: {
      failing: ['unknown_parent_resource'],
      message: /^an unknown webhook: expected the documented 404; got 200 /,
    },
  },
  {
    // Ownership is checked only when the knowledge base is found: one that does not exist falls through.
    given: 'a knowledge base that exists nowhere answered as a successful delete',
    variant: 'dify',
    breakage: async (req, next) => {
      const res = await next(req);
      if (res.status !== 404 || (res.body as { message?: string }).message !== 'Dataset not found.') return res;
      const dataset = decodeURIComponent(req.path.split('/')[4]!);
      const exists = (await state(next, 'dify')).accounts.some((a) => a.datasets.some((d) => d.id === dataset));
      return exists ? res : { status: 204 };
    },
    want: {
      failing: ['unknown_parent_resource'],
      message: /^an unknown dataset: expected the documented 404; got 204$/,
    },
  },
  {
    given: 'an organization that exists nowhere answered with an empty bulk result',
    variant: 'velt',
    breakage: async (req, next) => {
      const res = await next(req);
      const organization = (parseBody(req.body)?.['data'] as { organizationId?: string } | undefined)?.organizationId;
      if (res.status !== 404 || organization === undefined) return res;
      const exists = (await state(next, 'velt')).apps.some((a) => a.organizations.some((o) => o.id === organization));
      return exists
        ? res
        : {
            status: 200,
            body: { result: { status: 'success', message: 'Document(s) deleted successfully.', data: {} } },
          };
    },
    want: {
      failing: ['unknown_parent_resource'],
      message: /^an unknown organization: expected the documented 404; got 200 /,
    },
  },
  {
    given: 'a valid request refused: hard=false answered 400',
    variant: 'leadlex',
    breakage: async (req, next) =>
      next(new URLSearchParams(req.query).get('hard') === 'false' ? { ...req, query: 'hard=no' } : req),
    want: {
      failing: ['positive_data_acceptance'],
      message: /^query parameter hard: false: a valid request was refused with 400$/,
    },
  },
  {
    given: "a bulk delete that gives every document the first one's result",
    variant: 'velt',
    breakage: mapResponses(
      (res) => res.status === 200,
      (res) => {
        // Velt's handler answers with its JSON text (src/variants/velt/deleteDocuments.ts).
        const { result } = JSON.parse(res.body as string) as { result: VeltResult };
        const first = Object.values(result.data)[0]!;
        const data = Object.fromEntries(
          Object.entries(result.data).map(([id, entry]) => [id, { ...entry, message: first.message }]),
        );
        return { ...res, body: JSON.stringify({ result: { ...result, data } }) };
      },
    ),
    want: { failing: ['per_item_results'], message: /, which never existed, is not reported missing$/ },
  },
];

describe('against a server broken in one place, exactly the checks that catch it fail', () => {
  test.each(broken)('$variant, $given: $want.failing', async ({ variant, breakage, want }) => {
    const server = await startBrokenServer(breakage);
    try {
      const report = await runContract({ variant, baseUrl: `${server.origin}/${variant}` });
      expect(statuses(report)).toEqual(
        expected({ ...only(NOT_APPLICABLE[variant]!, 'skipped'), ...only(want.failing, 'failed') }),
      );
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

const NEEDS_KEY = /^needs valid credentials \(--api-key\), or authentication would answer before/;
const SECOND_TENANT =
  /^needs a second tenant: --other-api-key and --other-document \(or TOMBSTONE_OTHER_API_KEY, \.\.\.\)$/;

/** `want`: the checks skipped for want of an input, with the reason; those the spec gives nothing to test are added. */
const unprepared: { given: string; variant: string; inputs: Inputs; want: Partial<Record<ContractCheck, RegExp>> }[] = [
  {
    given: 'nothing: only what needs no credentials runs',
    variant: 'leadlex',
    inputs: {},
    want: {
      negative_data_rejection: NEEDS_KEY,
      positive_data_acceptance: NEEDS_KEY,
      unsupported_method: NEEDS_KEY,
      use_after_free: NEEDS_KEY,
      idempotency: NEEDS_KEY,
      object_level_authorization: NEEDS_KEY,
    },
  },
  {
    given: 'a key and no documents',
    variant: 'leadlex',
    inputs: { credentials: { apiKey: 'wbk_your_api_key_here' } },
    want: {
      use_after_free: /^needs a document it may delete \(--document <id>, or TOMBSTONE_DOCUMENT_IDS\)$/,
      idempotency: /^needs a document it may delete besides use_after_free's/,
      object_level_authorization: SECOND_TENANT,
    },
  },
  {
    given: 'a key and three documents: all but object_level_authorization run',
    variant: 'leadlex',
    inputs: { credentials: { apiKey: 'wbk_your_api_key_here' }, documents: ['doc_01HY2', 'doc_01HY3', 'doc_01HY4'] },
    want: { object_level_authorization: SECOND_TENANT },
  },
  {
    given: "two workspaces' keys and documents: everything runs",
    variant: 'leadlex',
    inputs: {
      credentials: { apiKey: 'wbk_your_api_key_here' },
      documents: ['doc_01HY2', 'doc_01HY3', 'doc_01HY4'],
      other: { credentials: { apiKey: 'wbk_other_workspace_key' }, documents: ['doc_other_1'] },
    },
    want: {},
  },
  {
    given: 'a key and documents but no knowledge base',
    variant: 'dify',
    inputs: { credentials: { apiKey: '{API_KEY}' }, documents: ['b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e'] },
    want: {
      use_after_free: /^needs --dataset, where the documents it deletes live$/,
      object_level_authorization: /^needs --dataset, where/,
    },
  },
  {
    given: 'two apps of Velt with their organizations and documents: everything runs',
    variant: 'velt',
    inputs: {
      credentials: { apiKey: '<x-velt-api-key>', authToken: '<x-velt-auth-token>' },
      scope: { organization: 'yourOrganizationId' },
      documents: ['yourDocumentId1', 'yourDocumentId3', 'yourDocumentId4'],
      other: {
        credentials: { apiKey: 'velt-other-api-key', authToken: 'velt-other-auth-token' },
        scope: { organization: 'otherOrganizationId' },
        documents: ['otherDocumentId1'],
      },
    },
    want: {},
  },
  {
    given: 'a webhook without a secret: credentials are optional, so ignored_auth has nothing to enforce',
    variant: 'oneflow',
    inputs: { scope: { webhook: 'open-webhook' }, documents: ['doc_open_1'] },
    want: {
      ignored_auth:
        /^the spec makes credentials optional \(security lists \{\}\): needs a tenant that requires them \(--secret\)$/,
      object_level_authorization:
        /^needs a second tenant: --other-secret and --other-webhook and --other-document \(or TOMBSTONE_OTHER_WEBHOOK_SECRET, \.\.\.\)$/,
    },
  },
];

describe("against a server that is not tombstone's mock, it uses the inputs given and skips what it cannot prepare", () => {
  test.each(unprepared)('$variant, $given', async ({ variant, inputs, want }) => {
    const server = await startBrokenServer((req, next) => next(req), { control: false });
    try {
      const report = await runContract({ variant, baseUrl: `${server.origin}/${variant}`, ...inputs });
      expect(statuses(report)).toEqual(
        expected(only([...(Object.keys(want) as ContractCheck[]), ...NOT_APPLICABLE[variant]!], 'skipped')),
      );
      for (const [check, reason] of Object.entries(want))
        expect(report.results.find((r) => r.check === check)?.reason).toMatch(reason);
      expect(
        report.results
          .filter((r) => (RESPONSE_CHECKS as readonly ContractCheck[]).includes(r.check))
          .every((r) => r.requests > 0),
      ).toBe(true);
      // Without --fail-on-skip a skip passes; with it, the same run fails (a check not applicable never does).
      expect(report.ok).toBe(true);
      const skipped = Object.keys(want) as ContractCheck[];
      // The summary lists every skip with its reason, and no check that is merely not applicable.
      const summary = textReport(report).split('\n');
      const listed = summary.includes('Skipped:')
        ? summary.slice(summary.indexOf('Skipped:') + 1).filter((line) => line.startsWith('  '))
        : [];
      expect(listed.map((line) => line.split(' ')[2])).toEqual(
        skipped.length > 0 ? expect.arrayContaining(skipped) : [],
      );
      expect(listed).toHaveLength(skipped.length);
      if (skipped.length > 0) {
        const strict = await runContract({
          variant,
          baseUrl: `${server.origin}/${variant}`,
          ...inputs,
          failOnSkip: true,
          checks: skipped,
        });
        expect(strict.ok).toBe(false);
        expect(junitReport(strict)).toContain(`failures="${skipped.length}"`);
        expect(junitReport(strict).match(/<failure type="skipped" message="/g)).toHaveLength(skipped.length);
      }
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
      expect(
        await run(['--variant', 'tavus', '--base-url', `${mock.origin}/tavus`, '--strict-headers', '--fail-on-skip']),
      ).toBe(0);
    } finally {
      log.mockRestore();
    }
    const lines = printed.join('\n').split('\n');
    expect(lines.filter((l) => /^ {2}(ok {2}|skip|n\/a ) {2}\w+/.test(l))).toHaveLength(CHECKS.length);
    expect(lines.at(-1)).toMatch(/^11 passed, 0 failed, 0 skipped, 4 not applicable; \d+ requests in [\d.]+ s$/);
  });

  const base = ['--variant', 'tavus', '--base-url', 'http://127.0.0.1:4010/tavus'];
  const usageErrors = [
    {
      given: ['--base-url', 'http://127.0.0.1:4010/tavus'],
      want: /^--variant must be one of leadlex, dify, tavus, velt, oneflow$/,
    },
    { given: ['--variant', 'acme', '--base-url', 'http://127.0.0.1:4010/acme'], want: /, got 'acme'$/ },
    {
      given: ['--variant', 'tavus', '--base-url', 'localhost:4010'],
      want: /^--base-url must be an http\(s\) URL such as http:\/\/localhost:4010\/tavus, got 'localhost:4010'$/,
    },
    { given: [...base, '--secret', 's'], want: /^--secret does not apply to tavus$/ },
    { given: [...base, '--other-auth-token', 't'], want: /^--other-auth-token does not apply to tavus$/ },
    {
      given: ['--variant', 'velt', '--base-url', 'http://127.0.0.1:4010/velt', '--document', 'd1'],
      want: /^--document needs --organization too/,
    },
    {
      given: ['--variant', 'velt', '--base-url', 'http://127.0.0.1:4010/velt', '--other-document', 'd1'],
      want: /^--other-document needs --other-organization too/,
    },
    {
      given: [...base, '--reporter', 'xml'],
      want: /^--reporter must be one of text, junit, json, optionally with :<file>, got 'xml'$/,
    },
    {
      given: [...base, '--reporter', 'json', '--reporter', 'junit'],
      want: /^only one reporter can write to stdout; give the others a file, e\.g\. --reporter junit:report$/,
    },
    {
      given: [...base, '--output', 'x.xml'],
      want: /^--output <file> needs exactly one --reporter junit or json given without a file$/,
    },
    {
      given: [...base, '--checks', 'use_after_free,nope'],
      want: /^--checks got unknown check 'nope'; the checks are not_a_server_error, /,
    },
    {
      given: [...base, '--checks', 'idempotency', '--exclude-checks', 'idempotency'],
      want: /^--checks and --exclude-checks leave no check to run/,
    },
    {
      given: [...base, '--control-url', 'http://127.0.0.1:4010', '--api-key', 'k'],
      want: /^--control-url prepares its own tenants/,
    },
    { given: [...base, '--no-such-flag'], want: /^Unknown option '--no-such-flag'/ },
  ];
  test.each(usageErrors)('a usage error (exit 2): $want', async ({ given, want }) => {
    const error = await run(given).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message.replace(/^\[tombstone\] /, '')).toMatch(want);
    expect((error as UsageError).message).not.toContain('\n');
  });

  test('as a process: exit 1 on a failure, with the failure in the summary, the JUnit and the JSON report', async () => {
    const server = await startBrokenServer(
      mapResponses(
        (res) => res.status === 405,
        (res) => withoutHeader(res, 'Allow'),
      ),
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'tombstone-contract-'));
    const junit = path.join(dir, 'contract.xml');
    const json = path.join(dir, 'contract.json');
    try {
      const args = [
        'contract',
        '--variant',
        'tavus',
        '--base-url',
        `${server.origin}/tavus`,
        '--reporter',
        'junit',
        '--output',
        junit,
        '--reporter',
        `json:${json}`,
      ];
      const fail = await spawnCli(args);
      expect(fail).toMatchObject({ code: 1, stderr: '' });
      expect(fail.stdout).toMatch(/^ {2}FAIL {2}unsupported_method +1 failure in 1 response$/m);
      expect(fail.stdout).toContain(`request:  GET ${server.origin}/tavus/v2/documents/`);
      expect(fail.stdout).toMatch(
        /rule: {5}openapi\/tavus\.yaml DELETE \/v2\/documents\/\{document_id\}: responses\.405 with Allow: DELETE/,
      );
      const xml = await readFile(junit, 'utf8');
      expect(xml).toMatch(
        new RegExp(`<testsuites name="tombstone contract" tests="${CHECKS.length}" failures="2" skipped="4" `),
      );
      expect(xml.match(/<testcase /g)).toHaveLength(CHECKS.length);
      expect(xml).toContain(
        '<testcase classname="tavus DELETE /v2/documents/{document_id} (deleteDocument)" name="unsupported_method">\n      <failure message="GET: no Allow header"',
      );
      const report = JSON.parse(await readFile(json, 'utf8'));
      expect(report).toMatchObject({
        variant: 'tavus',
        ok: false,
        summary: { passed: 9, failed: 2, skipped: 0, notApplicable: 4 },
      });
      const failed = (report as { results: CheckResult[] }).results.filter((r) => r.status === 'failed');
      expect(failed.map((r) => r.check)).toEqual(['response_headers_conformance', 'unsupported_method']);
      expect(failed[1]!.failures[0]).toMatchObject({
        message: 'GET: no Allow header',
        request: { method: 'GET' },
        response: { status: 405 },
      });
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('as a process: the JSON report alone on stdout, for a pipe', async () => {
    const ok = await spawnCli([
      'contract',
      '--variant',
      'dify',
      '--base-url',
      `${mock.origin}/dify`,
      '--reporter=json',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ variant: 'dify', ok: true, summary: { failed: 0, skipped: 0 } });
  });

  test('as a process: exit 3 and one line when the server cannot be reached, so CI tells it from a broken contract', async () => {
    const closed = await startBrokenServer((req, next) => next(req));
    await closed.close();
    const down = await spawnCli(['contract', '--variant=tavus', `--base-url=${closed.origin}/tavus`, '--api-key=k']);
    expect(down.code).toBe(3);
    expect(down.stdout).toBe('');
    expect(down.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^\[tombstone\] Failed to reach DELETE http:\/\/127\.0\.0\.1:\d+\/tavus\/v2\/documents\/\S+: .*Try checking --base-url/,
      ),
    ]);
  });
});

// --- real servers ----------------------------------------------------------------------------------------------

describe('a real server: infrastructure headers, patterns, the base URL', () => {
  const INFRASTRUCTURE = {
    Server: 'nginx',
    'Cache-Control': 'no-store',
    ETag: '"abc"',
    Via: '1.1 varnish',
    Age: '0',
    'CF-Ray': '8a1b2c3d4e5f-AMS',
    'X-Amz-Cf-Id': 'abc',
  };
  const withHeaders = (headers: Record<string, string>): Breakage =>
    mapResponses(
      () => true,
      (res) => ({ ...res, headers: { ...res.headers, ...headers } }),
    );

  test('standard and CDN headers are tolerated and listed; --strict-headers fails them', async () => {
    const server = await startBrokenServer(withHeaders(INFRASTRUCTURE));
    try {
      const report = await runContract({ variant: 'tavus', baseUrl: `${server.origin}/tavus` });
      expect(report.ok).toBe(true);
      expect(report.toleratedHeaders).toEqual([
        'age',
        'cache-control',
        'cf-ray',
        'etag',
        'server',
        'via',
        'x-amz-cf-id',
      ]);
      expect(textReport(report)).toContain(
        'Tolerated undocumented headers (standard or infrastructure; --strict-headers to fail them): age, cache-control, cf-ray',
      );
      const strict = await runContract({ variant: 'tavus', baseUrl: `${server.origin}/tavus`, strictHeaders: true });
      expect(statuses(strict)['response_headers_conformance']).toBe('failed');
      const messages = strict.results
        .find((r) => r.check === 'response_headers_conformance')!
        .failures.map((f) => f.message);
      expect(messages).toContain('deleteDocument 204: header server is not documented');
    } finally {
      await server.close();
    }
  });

  test('--allow-header takes patterns; a header neither standard nor allowed still fails', async () => {
    const server = await startBrokenServer(
      withHeaders({ 'X-Amz-Request-Id': 'r1', 'X-Amz-Id-2': 'i2', 'X-Backend': 'b7' }),
    );
    try {
      const allowed = await runContract({
        variant: 'tavus',
        baseUrl: `${server.origin}/tavus`,
        allowHeaders: ['x-amz-*'],
        checks: ['response_headers_conformance'],
      });
      // Only the probe is sent: no other check runs.
      expect(allowed.results.flatMap((r) => r.failures).map((f) => f.message)).toEqual([
        'deleteDocument 404: header x-backend is not documented',
      ]);
      const all = await runContract({
        variant: 'tavus',
        baseUrl: `${server.origin}/tavus`,
        allowHeaders: ['x-amz-*', 'X-Backend'],
        checks: ['response_headers_conformance'],
      });
      expect(all.ok).toBe(true);
    } finally {
      await server.close();
    }
  });

  test("a base URL that already ends with the spec's server path: a warning, and it is not doubled", async () => {
    const report = await runContract({
      variant: 'leadlex',
      baseUrl: `${mock.origin}/leadlex/functions/v1/api-gateway/`,
      checks: ['use_after_free'],
    });
    expect(report.warnings).toEqual([
      `--base-url ${mock.origin}/leadlex/functions/v1/api-gateway already ends with the spec's server path /functions/v1/api-gateway: ` +
        `checking ${mock.origin}/leadlex/functions/v1/api-gateway, not ${mock.origin}/leadlex/functions/v1/api-gateway/functions/v1/api-gateway. ` +
        "Next time give the URL without it, or --base-path ''.",
    ]);
    expect(statuses(report)).toEqual({ use_after_free: 'passed' });
    expect(report.exchanges[0]!.request.url).toMatch(
      new RegExp(`^${mock.origin}/leadlex/functions/v1/api-gateway/v1/documents/`),
    );
    expect(textReport(report)).toContain('  warning: --base-url ');
  });

  test('--checks and --exclude-checks choose what runs; nothing else is sent or reported', async () => {
    const some = await runContract({
      variant: 'velt',
      baseUrl: `${mock.origin}/velt`,
      checks: ['ignored_auth', 'per_item_results', 'status_code_conformance'],
      excludeChecks: ['per_item_results'],
    });
    expect(statuses(some)).toEqual({ status_code_conformance: 'passed', ignored_auth: 'passed' });
    expect(some.exchanges.map((e) => e.title.split(':')[0])).toEqual([
      'probe',
      'ignored_auth',
      'ignored_auth',
      'ignored_auth',
      'ignored_auth',
      'ignored_auth',
    ]);
  });
});
