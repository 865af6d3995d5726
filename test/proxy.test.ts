/**
 * `tombstone proxy` over real HTTP: in front of tombstone's mock (a correct server) a session of ordinary and
 * mistaken client traffic passes with no violation; in front of servers broken in one place, the exchange that
 * shows the breakage comes back with a `Tombstone-Violations` header naming the right check, and a log line.
 * One spawn of the CLI checks the command itself.
 */
import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { type RunningProxy, startProxy, VIOLATIONS_HEADER } from '../src/contract/proxy.js';
import { type Breakage, startBrokenServer, withoutHeader } from './support/broken.js';
import { useMock } from './support/mock.js';

interface Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const KEY = { authorization: 'Bearer wbk_your_api_key_here' };
const LEADLEX = '/functions/v1/api-gateway/v1/documents';
const leadlex = (id: string, o: { query?: string; headers?: Record<string, string>; method?: string } = {}): Call => ({
  method: o.method ?? 'DELETE',
  path: `${LEADLEX}/${id}${o.query ? `?${o.query}` : ''}`,
  headers: { ...KEY, ...o.headers },
});
const VELT_AUTH = {
  'x-velt-api-key': '<x-velt-api-key>',
  'x-velt-auth-token': '<x-velt-auth-token>',
  'content-type': 'application/json',
};
const velt = (ids: string[], headers: Record<string, string> = VELT_AUTH): Call => ({
  method: 'POST',
  path: '/v2/organizations/documents/delete',
  headers,
  body: JSON.stringify({ data: { organizationId: 'yourOrganizationId', documentIds: ids } }),
});
const oneflow = (body: string, contentType = 'application/json'): Call => ({
  method: 'POST',
  path: '/api/webhook/abc123xyz/document/delete',
  headers: { authorization: 'your-webhook-secret', 'content-type': contentType },
  body,
});

async function send(
  proxy: RunningProxy,
  call: Call,
): Promise<{ status: number; violations: { check: string; message: string }[] }> {
  const res = await fetch(`${proxy.origin}${call.path}`, {
    method: call.method,
    headers: call.headers ?? {},
    ...(call.body !== undefined ? { body: call.body } : {}),
  });
  await res.arrayBuffer();
  const header = res.headers.get(VIOLATIONS_HEADER);
  return { status: res.status, violations: header === null ? [] : JSON.parse(header) };
}

async function withProxy<T>(
  variant: string,
  origin: string,
  use: (proxy: RunningProxy, log: string[]) => Promise<T>,
): Promise<T> {
  const log: string[] = [];
  const proxy = await startProxy({ variant, target: `${origin}/${variant}`, log: (line) => log.push(line) });
  try {
    return await use(proxy, log);
  } finally {
    await proxy.close();
  }
}

// Reset to the seed before each test.
const mock = useMock();

describe("in front of tombstone's mock, ordinary and mistaken traffic shows no violation", () => {
  const sessions: { given: string; variant: string; calls: Call[]; want: number[] }[] = [
    {
      given:
        'LeadLex: a delete, the same again, no key, invalid input, a wrong method, hard=true, an Idempotency-Key replay',
      variant: 'leadlex',
      calls: [
        leadlex('doc_01HY1'),
        leadlex('doc_01HY1'),
        { ...leadlex('doc_01HY2'), headers: {} },
        leadlex('doc_01HY2', { query: 'hard=yes' }),
        leadlex('doc_01HY2', { method: 'GET' }),
        leadlex('doc_01HY2', { query: 'hard=true' }),
        leadlex('doc_01HY3', { headers: { 'idempotency-key': '9b2f3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d' } }),
        leadlex('doc_01HY3', { headers: { 'idempotency-key': '9b2f3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d' } }),
      ],
      want: [204, 404, 401, 400, 405, 204, 204, 204],
    },
    {
      given: 'Velt: a bulk delete of an existing and a missing document, the same again, no token, an empty list',
      variant: 'velt',
      calls: [
        velt(['yourDocumentId1', 'nope']),
        velt(['yourDocumentId1', 'nope']),
        velt(['x'], { 'x-velt-api-key': '<x-velt-api-key>', 'content-type': 'application/json' }),
        velt([]),
      ],
      want: [200, 200, 401, 400],
    },
    {
      given: '1Flow: a delete, a body that is not JSON, one sent as text/plain',
      variant: 'oneflow',
      calls: [oneflow('{"docId":"doc_abc123xyz"}'), oneflow('{"docId":'), oneflow('{"docId":"doc_x"}', 'text/plain')],
      want: [200, 400, 400],
    },
  ];
  test.each(sessions)('$given', async ({ variant, calls, want }) => {
    await withProxy(variant, mock().origin, async (proxy, log) => {
      const answers = [];
      for (const call of calls) answers.push(await send(proxy, call));
      expect(answers.map((a) => a.status)).toEqual(want);
      expect(answers.flatMap((a) => a.violations)).toEqual([]);
      expect(log).toEqual([]);
    });
  });
});

const mapResponses =
  (
    when: (status: number) => boolean,
    change: (res: Awaited<ReturnType<Parameters<Breakage>[1]>>) => Awaited<ReturnType<Parameters<Breakage>[1]>>,
  ): Breakage =>
  async (req, next) => {
    const res = await next(req);
    return when(res.status) ? change(res) : res;
  };

const broken: {
  given: string;
  variant: string;
  breakage: Breakage;
  calls: Call[];
  want: { check: string; message: RegExp };
}[] = [
  {
    given: 'the required X-Request-ID left out',
    variant: 'leadlex',
    breakage: mapResponses(
      () => true,
      (res) => withoutHeader(res, 'X-Request-ID'),
    ),
    calls: [leadlex('doc_01HY1')],
    want: {
      check: 'response_headers_conformance',
      message: /^deleteDocument 204: required header X-Request-ID is missing$/,
    },
  },
  {
    given: 'a delete that deletes again: a missing document "deleted" with 204',
    variant: 'leadlex',
    breakage: mapResponses(
      (status) => status === 404,
      (res) => ({ status: 204, headers: res.headers ?? {} }),
    ),
    calls: [leadlex('doc_01HY1'), leadlex('doc_01HY1')],
    want: {
      check: 'use_after_free',
      message: /^the same delete deleted again: a deleted document must not be found again$/,
    },
  },
  {
    given: 'a bulk delete that reports "Deleted Successfully" for a document deleted before',
    variant: 'velt',
    breakage: mapResponses(
      (status) => status === 200,
      (res) => ({
        ...res,
        body: JSON.parse(JSON.stringify(res.body).replaceAll('Document does not exist', 'Deleted Successfully')),
      }),
    ),
    calls: [velt(['yourDocumentId1']), velt(['yourDocumentId1'])],
    want: { check: 'use_after_free', message: /^the same delete deleted again \(yourDocumentId1\)/ },
  },
  {
    given: 'no credentials run as the demo key',
    variant: 'leadlex',
    breakage: async (req, next) =>
      next(
        req.headers['authorization'] ? req : { ...req, headers: { ...req.headers, authorization: KEY.authorization } },
      ),
    calls: [{ ...leadlex('doc_missing'), headers: {} }],
    want: { check: 'ignored_auth', message: /^a request without credentials got 404; expected 401/ },
  },
  {
    given: 'hard=<not a boolean> ignored',
    variant: 'leadlex',
    breakage: async (req, next) => next({ ...req, query: '' }),
    calls: [leadlex('doc_01HY1', { query: 'hard=yes' })],
    want: {
      check: 'negative_data_rejection',
      message: /^the request is invalid by the spec; expected a documented 4xx \([\d, ]+\), got 204$/,
    },
  },
  {
    given: 'a body that is not JSON answered 200',
    variant: 'oneflow',
    breakage: async (req, next) =>
      req.body?.startsWith('{')
        ? next(req)
        : { status: 200, body: { success: true, message: 'Document deleted successfully', documentId: 'x' } },
    calls: [oneflow('not json')],
    want: { check: 'negative_data_rejection', message: /got 200$/ },
  },
  {
    given: 'hard=false refused',
    variant: 'leadlex',
    breakage: async (req, next) => next(req.query === 'hard=false' ? { ...req, query: 'hard=no' } : req),
    calls: [leadlex('doc_01HY1', { query: 'hard=false' })],
    want: {
      check: 'positive_data_acceptance',
      message: /^the request is valid by the spec, but was refused with 400$/,
    },
  },
  {
    given: 'a wrong method answered 404',
    variant: 'tavus',
    breakage: async (req, next) =>
      req.method === 'GET' ? { status: 404, body: { message: 'Document not found' } } : next(req),
    calls: [{ method: 'GET', path: '/v2/documents/d1', headers: { 'x-api-key': '<api-key>' } }],
    want: { check: 'unsupported_method', message: /^expected 405; got 404; no Allow header$/ },
  },
];

describe('in front of a server broken in one place, the exchange that shows it is flagged with the right check', () => {
  test.each(broken)('$variant, $given: $want.check', async ({ variant, breakage, calls, want }) => {
    const server = await startBrokenServer(breakage);
    try {
      await withProxy(variant, server.origin, async (proxy, log) => {
        const answers = [];
        for (const call of calls) answers.push(await send(proxy, call));
        expect(answers.slice(0, -1).flatMap((a) => a.violations)).toEqual([]);
        const last = answers.at(-1)!;
        expect(new Set(last.violations.map((v) => v.check))).toEqual(new Set([want.check]));
        expect(last.violations[0]!.message).toMatch(want.message);
        // One line per violation.
        expect(log).toHaveLength(last.violations.length);
        expect(log[0]).toMatch(
          new RegExp(`^\\[tombstone\\] ${calls.at(-1)!.method} \\S+ → ${last.status}: ${want.check}: `),
        );
      });
    } finally {
      await server.close();
    }
  });
});

test('tombstone proxy as a process: forwards, flags, exits 0 on SIGTERM; a usage error exits 2', async () => {
  const server = await startBrokenServer(
    mapResponses(
      () => true,
      (res) => withoutHeader(res, 'X-Request-ID'),
    ),
  );
  const child = spawn(
    process.execPath,
    ['bin/tombstone.js', 'proxy', '--variant', 'leadlex', '--target', `${server.origin}/leadlex`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const banner = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        if (out.includes('\n')) resolve(out);
      });
    });
    const origin = /listening on (http:\/\/\S+),/.exec(banner)![1]!;
    const res = await fetch(`${origin}${LEADLEX}/doc_missing`, { method: 'DELETE', headers: KEY });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.headers.get(VIOLATIONS_HEADER)!)[0]).toEqual({
      check: 'response_headers_conformance',
      message: 'deleteDocument 404: required header X-Request-ID is missing',
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(
      /^\[tombstone\] DELETE \/functions\/v1\/api-gateway\/v1\/documents\/doc_missing → 404: response_headers_conformance: /,
    );
  } finally {
    child.kill('SIGKILL');
    await server.close();
  }
  const usage = spawn(process.execPath, [
    'bin/tombstone.js',
    'proxy',
    '--variant',
    'acme',
    '--target',
    'http://127.0.0.1:1',
  ]);
  expect(await new Promise((resolve) => usage.on('exit', resolve))).toBe(2);
});
