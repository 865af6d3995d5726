/**
 * The fuzzer's request generators (test/fuzz.test.ts), one per variant: typed by the registry's names, so a
 * variant added to src/variants/registry.ts fails the type check until it has one (and test/registry.test.ts
 * checks the keys).
 */
import fc from 'fast-check';
import type { VariantName } from '../../src/variants/registry.js';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Blob;
}

const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'];
const JUNK = ['', '%2F', '%2E%2E', '..', '%00', '%E0%A4%A', '%ZZ', '😀', 'a'.repeat(300), '{id}', '*', "' OR 1=1 --", '<script>'];

/** A path segment: a seeded ID, an inherited name, junk, or anything. */
const segment = (known: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.constantFrom(...INHERITED, ...JUNK) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.uuid() },
  );

/** A JSON body: the right shape with fuzzed leaves, any JSON, deep nesting, huge strings, or no JSON at all. */
const body = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: valid.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 200_000 }).map((n) => JSON.stringify({ docId: 'x'.repeat(n), data: { organizationId: 'y'.repeat(n), documentIds: ['z'] } })) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => new Blob([Uint8Array.from([0x7b, 0xff, 0xfe, ...bytes])])) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"docId":', 'null', '"str"', '[]', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}') },
  );

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/problem+json', 'json', '') },
);

const method = (documented: string) => fc.oneof({ weight: 6, arbitrary: fc.constant(documented) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') });

/** Extra headers with random (valid) names and printable values. */
const extraHeaders = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((h) => !['host', 'content-length', 'transfer-encoding', 'connection', 'expect', 'upgrade', 'keep-alive', 'prefer', 'te', 'trailer'].includes(h)), fc.stringMatching(/^[\x20-\x7e]{0,60}$/), { maxKeys: 3 });

/** A credential: a valid one, another tenant's, an invalid one, or none. */
const credential = (valid: Record<string, string>[], invalid: Record<string, string>[]) =>
  fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: fc.constantFrom(...invalid, {}) });

const query = fc.array(fc.tuple(fc.constantFrom('hard', 'hard', 'id', 'x', '__proto__', 'api_key'), fc.constantFrom('true', 'false', 'yes', '1', '', '%00', 'true&hard=false')), { maxLength: 3 }).map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

const withBody = (r: FuzzRequest, b: string | Blob, type: string): FuzzRequest => ({ ...r, body: b, headers: type ? { ...r.headers, 'content-type': type } : r.headers });

export const fuzzRequests: Record<VariantName, fc.Arbitrary<FuzzRequest>> = {
  leadlex: fc
    .record({
      method: method('DELETE'),
      id: segment(['doc_01HY1', 'doc_01HY2', 'doc_in_use', 'doc_template_source', 'doc_other_1']),
      tail: fc.constantFrom('', '', '', '/', '/extra'),
      query,
      auth: credential([{ authorization: 'Bearer wbk_your_api_key_here' }, { authorization: 'Bearer wbk_write_only_key' }, { authorization: 'Bearer wbk_other_workspace_key' }], [{ authorization: 'Bearer wbk_expired_key' }, { authorization: 'Basic x' }, { authorization: 'Bearer' }]),
      idempotency: fc.oneof(fc.constant({}), fc.uuid().map((k) => ({ 'idempotency-key': k })), fc.constant({ 'idempotency-key': 'not-a-uuid' })),
      extra: extraHeaders,
    })
    .map(({ method, id, tail, query, auth, idempotency, extra }) => ({ method, path: `/leadlex/functions/v1/api-gateway/v1/documents/${id}${tail}${query}`, headers: { ...extra, ...auth, ...idempotency } })),
  dify: fc
    .record({
      method: method('DELETE'),
      ds: segment(['5f2d8c1e-3b4a-4c6d-8e9f-0a1b2c3d4e5f', '7b4f0e3a-5d6c-4e8f-a01b-2c3d4e5f6071']),
      doc: segment(['a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f', 'e5f6a7b8-c9d0-4e1f-8a3b-4c5d6e7f8091']),
      auth: credential([{ authorization: 'Bearer {API_KEY}' }, { authorization: 'Bearer dataset-other-account-key' }], [{ authorization: 'Bearer nope' }, { authorization: '{API_KEY}' }]),
      extra: extraHeaders,
    })
    .map(({ method, ds, doc, auth, extra }) => ({ method, path: `/dify/v1/datasets/${ds}/documents/${doc}`, headers: { ...extra, ...auth } })),
  tavus: fc
    .record({
      method: method('DELETE'),
      id: segment(['d8-5c71baca86fc', 'd9-1a2b3c4d5e6f', 'd11-0fedcba98765']),
      auth: credential([{ 'x-api-key': '<api-key>' }, { 'x-api-key': 'tavus-other-account-key' }], [{ 'x-api-key': '' }, { authorization: 'Bearer <api-key>' }]),
      extra: extraHeaders,
    })
    .map(({ method, id, auth, extra }) => ({ method, path: `/tavus/v2/documents/${id}`, headers: { ...extra, ...auth } })),
  velt: fc
    .record({
      method: method('POST'),
      auth: credential([{ 'x-velt-api-key': '<x-velt-api-key>', 'x-velt-auth-token': '<x-velt-auth-token>' }, { 'x-velt-api-key': 'velt-other-api-key', 'x-velt-auth-token': 'velt-other-auth-token' }], [{ 'x-velt-api-key': '<x-velt-api-key>' }, { 'x-velt-api-key': '<x-velt-api-key>', 'x-velt-auth-token': 'expired-velt-auth-token' }]),
      body: body(fc.record({ data: fc.record({ organizationId: fc.oneof(fc.constantFrom('yourOrganizationId', 'otherOrganizationId', ...INHERITED), fc.string()), documentIds: fc.array(fc.oneof(fc.constantFrom('yourDocumentId1', 'yourDocumentId3', ...INHERITED), fc.string()), { maxLength: 20 }) }) })),
      type: contentType,
      extra: extraHeaders,
    })
    .map(({ method, auth, body, type, extra }) => withBody({ method, path: '/velt/v2/organizations/documents/delete', headers: { ...extra, ...auth } }, body, type)),
  oneflow: fc
    .record({
      method: method('POST'),
      webhook: segment(['abc123xyz', 'open-webhook', 'other-webhook']),
      auth: credential([{ authorization: 'your-webhook-secret' }, { authorization: 'other-webhook-secret' }], [{ authorization: 'Bearer your-webhook-secret' }]),
      body: body(fc.record({ docId: fc.oneof(fc.constantFrom('your-document-id', 'doc_abc123xyz', 'doc_open_1', ...INHERITED), fc.string(), fc.integer()) })),
      type: contentType,
      extra: extraHeaders,
    })
    .map(({ method, webhook, auth, body, type, extra }) => withBody({ method, path: `/oneflow/api/webhook/${webhook}/document/delete`, headers: { ...extra, ...auth } }, body, type)),
};

