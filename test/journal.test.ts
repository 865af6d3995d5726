/**
 * The request journal (src/mock/journal.ts): a bounded ring, newest first, filtered, credentials never shown,
 * bodies cut; every rendered record valid against openapi/mock-admin.yaml's RequestRecord.
 */
import { describe, expect, test } from 'vitest';
import { schemas } from '../generated/mock-admin/validators.js';
import { credentialsOf, type JournalEntry, RequestJournal, redactCredential } from '../src/mock/journal.js';
import { variants } from '../src/variants/registry.js';

const T0 = Date.parse('2026-12-02T08:00:00.000Z');

function entry(overrides: Partial<JournalEntry> = {}): JournalEntry {
  return {
    time: T0,
    durationMs: 0.5,
    variant: 'tavus',
    operationId: 'deleteDocument',
    method: 'DELETE',
    path: '/tavus/v2/documents/d1',
    query: '',
    headers: { host: 'localhost:4010' },
    body: undefined,
    status: 204,
    responseHeaders: { Vary: 'Origin' },
    responseBody: undefined,
    reason: undefined,
    chaos: undefined,
    ...overrides,
  };
}

const credentials = credentialsOf(Object.values(variants).map((v) => v.definition));

test('the specs name their credential headers: every scheme of every variant is redacted', () => {
  expect([...credentials.headers].sort()).toEqual([
    'authorization',
    'x-api-key',
    'x-velt-api-key',
    'x-velt-auth-token',
  ]);
});

describe('a bounded ring, newest first', () => {
  test.each([
    { size: 3, recorded: 2, want: [2, 1] },
    { size: 3, recorded: 3, want: [3, 2, 1] },
    { size: 3, recorded: 7, want: [7, 6, 5] },
    { size: 1, recorded: 5, want: [5] },
    { size: 0, recorded: 4, want: [] },
  ])('size $size, $recorded recorded → ids $want', ({ size, recorded, want }) => {
    const journal = new RequestJournal({ size });
    for (let i = 0; i < recorded; i++) journal.record(entry({ time: T0 + i }));
    expect(journal.query().map((r) => r.id)).toEqual(want);
  });

  test('the default keeps 1,000', () => {
    const journal = new RequestJournal();
    for (let i = 0; i < 1_500; i++) journal.record(entry());
    const all = journal.query({ limit: 5_000 });
    expect(all).toHaveLength(1_000);
    expect([all[0]!.id, all.at(-1)!.id]).toEqual([1_500, 501]);
  });

  test('clear empties it and says how many it held; ids keep counting', () => {
    const journal = new RequestJournal({ size: 10 });
    for (let i = 0; i < 4; i++) journal.record(entry());
    expect(journal.clear()).toBe(4);
    expect(journal.query()).toEqual([]);
    journal.record(entry());
    expect(journal.query().map((r) => r.id)).toEqual([5]);
  });

  test('a negative or fractional size is refused with a line saying what is allowed', () => {
    expect(() => new RequestJournal({ size: -1 })).toThrow(
      /^\[tombstone\] the journal size must be a whole number.*got -1$/,
    );
    expect(() => new RequestJournal({ size: 1.5 })).toThrow(/got 1.5$/);
  });
});

describe('queries', () => {
  const journal = new RequestJournal({ size: 100 });
  const recorded = [
    entry({ time: T0 + 0, variant: 'tavus', status: 204 }),
    entry({ time: T0 + 1000, variant: 'tavus', status: 404 }),
    entry({ time: T0 + 2000, variant: 'velt', operationId: 'deleteDocuments', status: 200 }),
    entry({ time: T0 + 3000, variant: undefined, operationId: undefined, status: 404 }),
    entry({ time: T0 + 4000, variant: 'leadlex', status: 404 }),
  ];
  for (const e of recorded) journal.record(e);

  test.each([
    { given: {}, want: [5, 4, 3, 2, 1] },
    { given: { variant: 'tavus' }, want: [2, 1] },
    { given: { operationId: 'deleteDocuments' }, want: [3] },
    { given: { status: 404 }, want: [5, 4, 2] },
    { given: { status: 404, variant: 'tavus' }, want: [2] },
    { given: { since: T0 + 2000 }, want: [5, 4, 3] },
    { given: { limit: 2 }, want: [5, 4] },
    { given: { status: 404, limit: 2 }, want: [5, 4] },
    { given: { variant: 'dify' }, want: [] },
  ])('$given → $want', ({ given, want }) => {
    expect(journal.query(given).map((r) => r.id)).toEqual(want);
  });
});

describe('credentials are never shown', () => {
  test.each([
    { given: 'Bearer wbk_your_api_key_here', want: 'Bearer wbk_…(redacted)' },
    { given: 'bearer wbk_short', want: 'bearer …(redacted)' },
    { given: 'Basic dXNlcjpwYXNzd29yZA==', want: 'Basic …(redacted)' },
    { given: '<api-key>', want: '…(redacted)' },
    { given: 'sk-0123456789abcdef', want: 'sk-…(redacted)' },
    { given: 'whsec raw secret with spaces', want: '…(redacted)' },
    { given: '', want: '…(redacted)' },
  ])('$given → $want', ({ given, want }) => {
    expect(redactCredential(given)).toBe(want);
  });

  test('in request and response headers, by scheme and by pattern; other headers as sent', () => {
    const journal = new RequestJournal({ credentials });
    const secrets = {
      authorization: 'Bearer wbk_secret_value_123',
      'x-api-key': 'tavus-key-0123456789',
      'x-velt-api-key': 'velt-key',
      'x-velt-auth-token': 'token-value',
      cookie: 'session=abc123; theme=dark',
      'x-webhook-secret': 'hush-hush',
      'x-custom-token': 'qwerty42',
    };
    journal.record(
      entry({
        headers: { ...secrets, 'idempotency-key': 'idem-1', 'x-request-id': 'req_1', accept: ['a', 'b'] },
        responseHeaders: { 'Set-Cookie': 'sid=xyz', 'X-Request-ID': 'req_1' },
      }),
    );
    const [record] = journal.query();
    const shown = JSON.stringify(record);
    for (const value of [...Object.values(secrets), 'abc123', 'xyz']) expect(shown).not.toContain(value);
    expect(record!.requestHeaders).toEqual({
      authorization: 'Bearer wbk_…(redacted)',
      'x-api-key': 'tavus-…(redacted)',
      'x-velt-api-key': '…(redacted)',
      'x-velt-auth-token': '…(redacted)',
      cookie: 'session=…(redacted); theme=…(redacted)',
      'x-webhook-secret': '…(redacted)',
      'x-custom-token': '…(redacted)',
      'idempotency-key': 'idem-1',
      'x-request-id': 'req_1',
      accept: 'a, b',
    });
    expect(record!.responseHeaders).toEqual({ 'Set-Cookie': 'sid=…(redacted)', 'X-Request-ID': 'req_1' });
  });

  test('in the query string, when a scheme puts a key there', () => {
    const journal = new RequestJournal({ credentials: { headers: new Set(), query: new Set(['api_key']) } });
    journal.record(entry({ query: 'hard=true&api_key=sk-0123456789abcdef' }));
    expect(journal.query()[0]!.query).toBe('hard=true&api_key=sk-%E2%80%A6%28redacted%29');
  });
});

describe('bodies', () => {
  test.each([
    { given: 'x'.repeat(10), limit: 10, want: { requestBody: 'x'.repeat(10) } },
    { given: 'x'.repeat(11), limit: 10, want: { requestBody: 'x'.repeat(10), requestBodyTruncated: true } },
    {
      given: 'y'.repeat(1024 * 1024),
      limit: 4096,
      want: { requestBody: 'y'.repeat(4096), requestBodyTruncated: true },
    },
    { given: '', limit: 10, want: {} },
  ])('a request body of $given.length characters, limit $limit', ({ given, limit, want }) => {
    const journal = new RequestJournal({ bodyLimit: limit });
    journal.record(entry({ body: given }));
    const { requestBody, requestBodyTruncated } = journal.query()[0]!;
    expect({ requestBody, requestBodyTruncated }).toEqual({
      requestBody: undefined,
      requestBodyTruncated: undefined,
      ...want,
    });
  });

  test('a response body is rendered as JSON text when read, not when recorded', () => {
    const journal = new RequestJournal({ bodyLimit: 20 });
    const body = { error: { code: 'not_found', message: 'Document not found' } };
    journal.record(entry({ status: 404, responseBody: body }));
    body.error.message = 'changed after';
    const record = journal.query()[0]!;
    expect(record.responseBody).toBe(JSON.stringify(body).slice(0, 20));
    expect(record.responseBodyTruncated).toBe(true);
  });

  test('a string response body (an HTML page) is kept as it is, cut when recorded', () => {
    const journal = new RequestJournal({ bodyLimit: 5 });
    journal.record(entry({ status: 200, responseBody: '<!doctype html>' }));
    expect(journal.query()[0]).toMatchObject({ responseBody: '<!doc', responseBodyTruncated: true });
  });
});

test('every rendered record is a valid RequestRecord, a dropped connection and a rejection included', () => {
  const journal = new RequestJournal({ credentials });
  journal.record(entry());
  journal.record(
    entry({
      status: undefined,
      responseHeaders: undefined,
      chaos: { delayMs: 80, reset: true },
      reason: { kind: 'chaos', message: 'connection dropped' },
    }),
  );
  journal.record(
    entry({
      status: 401,
      reason: { kind: 'unauthorized', message: 'no valid credentials: apiKey' },
      body: '{"a":1}',
      responseBody: { message: 'no' },
    }),
  );
  journal.record(
    entry({
      variant: undefined,
      operationId: undefined,
      status: 404,
      reason: { kind: 'route_not_found', message: 'no variant /acme' },
    }),
  );
  const records = journal.query();
  expect(records).toHaveLength(4);
  for (const record of records)
    expect(schemas.RequestRecord(record), JSON.stringify(schemas.RequestRecord.errors)).toBe(true);
  expect(records[2]).not.toHaveProperty('status');
});

test('listeners hear of every request, even with a journal that keeps none', () => {
  const journal = new RequestJournal({ size: 0 });
  const heard: string[] = [];
  const stop = journal.subscribe((e) => heard.push(e.path));
  journal.record(entry({ path: '/a' }));
  journal.record(entry({ path: '/b' }));
  stop();
  journal.record(entry({ path: '/c' }));
  expect(heard).toEqual(['/a', '/b']);
});
