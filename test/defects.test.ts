/**
 * The defects probing found (issue 18), each held down over real HTTP, every answer checked against its spec:
 * Prefer's delay on every answer, Prefer after credentials, Dify's case-insensitive UUIDs, Velt's media type,
 * HEAD wherever GET, per-path CORS preflights, and control routes that act whatever Prefer says.
 */
import { describe, expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { specs } from '../src/specs.js';
import { observe, useMock } from './support/mock.js';

const mock = useMock();

interface Call {
  spec?: string;
  operationId?: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Sends `call` and checks the answer against its operation's spec when one is named. */
async function send({ spec, operationId, method, path, headers = {}, body }: Call) {
  const observed = await observe(
    await fetch(`${mock().origin}${path}`, { method, headers, ...(body === undefined ? {} : { body }) }),
  );
  if (spec && operationId) expect(checkResponse(specs[spec]!, operationId, observed)).toEqual([]);
  return observed;
}

const TAVUS_DOC = '/tavus/v2/documents/d8-5c71baca86fc';
const TAVUS_KEY = { 'x-api-key': '<api-key>' };
const LEADLEX_DOC = '/leadlex/functions/v1/api-gateway/v1/documents/doc_01HY1';
const LEADLEX_KEY = { authorization: 'Bearer wbk_your_api_key_here' };
const VELT = '/velt/v2/organizations/documents/delete';
const VELT_AUTH = { 'x-velt-api-key': '<x-velt-api-key>', 'x-velt-auth-token': '<x-velt-auth-token>' };
const VELT_BODY = JSON.stringify({ data: { organizationId: 'yourOrganizationId', documentIds: ['yourDocumentId1'] } });
const DS = '5f2d8c1e-3b4a-4c6d-8e9f-0a1b2c3d4e5f';
const DIFY_DOC = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const DIFY_KEY = { authorization: 'Bearer {API_KEY}' };

const tavus = (headers: Record<string, string>, method = 'DELETE'): Call => ({
  spec: 'tavus',
  operationId: 'deleteDocument',
  method,
  path: TAVUS_DOC,
  headers,
});
const leadlex = (headers: Record<string, string>, query = ''): Call => ({
  spec: 'leadlex',
  operationId: 'deleteDocument',
  method: 'DELETE',
  path: `${LEADLEX_DOC}${query}`,
  headers,
});
const velt = (contentType: string): Call => ({
  spec: 'velt',
  operationId: 'deleteDocuments',
  method: 'POST',
  path: VELT,
  headers: { ...VELT_AUTH, 'content-type': contentType },
  body: VELT_BODY,
});

describe('Prefer: delay= holds every answer, forced and early ones included', () => {
  // No clock is read: while the delayed request is held, a plain request is answered; then the held one is.
  test.each([
    { name: 'code=404', call: tavus({ ...TAVUS_KEY, prefer: 'code=404, delay=1500' }), want: 404 },
    { name: 'example=', call: leadlex({ ...LEADLEX_KEY, prefer: 'example=in_use; delay=1500' }), want: 409 },
    { name: 'an early 401 (no credentials)', call: tavus({ prefer: 'delay=1500' }), want: 401 },
    {
      name: 'an early 400 (validation)',
      call: leadlex({ ...LEADLEX_KEY, prefer: 'delay=1500' }, '?hard=yes'),
      want: 400,
    },
    { name: 'an early 405 (method)', call: tavus({ ...TAVUS_KEY, prefer: 'delay=1500' }, 'PATCH'), want: 405 },
    {
      name: 'an early 415 (media type)',
      call: { ...velt('text/plain'), headers: { ...velt('text/plain').headers, prefer: 'delay=1500' } },
      want: 415,
    },
  ])('$name', async ({ call, want }) => {
    let held = true;
    const delayed = send(call).then((res) => {
      held = false;
      return res;
    });
    expect((await send({ method: 'GET', path: '/_mock/health' })).status).toBe(200);
    // Time for an undelayed answer to arrive too (a lower bound, not a performance assertion).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(held).toBe(true);
    expect((await delayed).status).toBe(want);
  });
});

describe('Prefer: code= is answered only once the credentials are good (as Prism does)', () => {
  test.each([
    { name: 'tavus, no key', call: tavus({ prefer: 'code=204' }), want: 401 },
    { name: 'tavus, a wrong key', call: tavus({ 'x-api-key': 'nope', prefer: 'code=204' }), want: 401 },
    { name: 'leadlex, no key', call: leadlex({ prefer: 'code=409' }), want: 401 },
    {
      name: 'leadlex, an expired key',
      call: leadlex({ authorization: 'Bearer wbk_expired_key', prefer: 'code=204' }),
      want: 401,
    },
    { name: 'tavus, the right key', call: tavus({ ...TAVUS_KEY, prefer: 'code=404' }), want: 404 },
    { name: 'leadlex, the right key', call: leadlex({ ...LEADLEX_KEY, prefer: 'code=204' }), want: 204 },
  ])('$name → $want', async ({ call, want }) => {
    expect((await send(call)).status).toBe(want);
  });

  test('a forced answer leaves the state alone: the document is still there to delete', async () => {
    expect((await send(tavus({ ...TAVUS_KEY, prefer: 'code=204' }))).status).toBe(204);
    expect((await send(tavus(TAVUS_KEY))).status).toBe(204);
    expect((await send(tavus(TAVUS_KEY))).status).toBe(404);
  });
});

describe("Dify: UUIDs in any case name the same dataset and document (Dify's router normalises them)", () => {
  const dify = (dataset: string, document: string): Call => ({
    spec: 'dify',
    operationId: 'deleteDocument',
    method: 'DELETE',
    path: `/dify/v1/datasets/${dataset}/documents/${document}`,
    headers: DIFY_KEY,
  });
  test.each([
    { name: 'upper case', dataset: DS.toUpperCase(), document: DIFY_DOC.toUpperCase() },
    { name: 'dataset upper, document lower', dataset: DS.toUpperCase(), document: DIFY_DOC },
    { name: 'mixed case', dataset: DS, document: 'A1b2C3d4-E5f6-4A7b-8C9d-0E1f2A3b4C5d' },
  ])('$name: deleted, then the lower-case ID is the documented 404', async ({ dataset, document }) => {
    expect((await send(dify(dataset, document))).status).toBe(204);
    expect((await send(dify(DS, DIFY_DOC))).status).toBe(404);
  });
});

describe("Velt: only the media type its spec documents; anything else is its 415 'must be application/json'", () => {
  test.each([
    { contentType: 'application/vnd.api+json', want: 415 },
    { contentType: 'application/problem+json', want: 415 },
    { contentType: 'text/json', want: 415 },
    { contentType: 'application/json', want: 200 },
    { contentType: 'application/json; charset=utf-8', want: 200 },
    { contentType: 'Application/JSON', want: 200 },
  ])('$contentType → $want', async ({ contentType, want }) => {
    const res = await send(velt(contentType));
    expect(res.status).toBe(want);
    if (want === 415) expect(JSON.parse(res.body).error.message).toBe('Content-Type must be application/json');
  });
});

describe('HEAD wherever GET (RFC 9110, 9.1): the same status and headers, no body', () => {
  test.each(['/', '/_mock/health', '/_mock/docs/', '/_mock/clock', '/_mock/state/tavus', '/_mock/requests'])(
    '%s',
    async (path) => {
      const get = await send({ method: 'GET', path });
      const head = await send({ method: 'HEAD', path });
      expect(head.status).toBe(get.status);
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
    },
  );

  test.each([
    { path: '/_mock/health', method: 'POST', allow: 'GET, HEAD' },
    { path: '/_mock/chaos/tavus', method: 'POST', allow: 'DELETE, GET, HEAD, PUT' },
    { path: TAVUS_DOC, method: 'HEAD', allow: 'DELETE' },
  ])('$method $path → 405, Allow: $allow', async ({ path, method, allow }) => {
    const res = await send({ method, path });
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe(allow);
  });
});

describe("CORS preflight: Access-Control-Allow-Methods is the path's own methods", () => {
  test.each([
    { path: LEADLEX_DOC, want: 'DELETE, OPTIONS' },
    { path: VELT, want: 'OPTIONS, POST' },
    { path: '/_mock/health', want: 'GET, HEAD, OPTIONS' },
    { path: '/_mock/chaos/tavus', want: 'DELETE, GET, HEAD, OPTIONS, PUT' },
    { path: '/_mock/reset', want: 'OPTIONS, POST' },
  ])('$path → $want', async ({ path, want }) => {
    const res = await send({
      method: 'OPTIONS',
      path,
      headers: { origin: 'http://app.example', 'access-control-request-method': 'DELETE' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-methods']).toBe(want);
  });
});

describe('control routes act whatever Prefer says (mock-admin.yaml: Prefer is for the variants)', () => {
  const control = (operationId: string, method: string, path: string, prefer: string): Call => ({
    spec: 'mock-admin',
    operationId,
    method,
    path,
    headers: { prefer },
  });

  test('a reset with Prefer: code=400 still resets', async () => {
    expect((await send(tavus(TAVUS_KEY))).status).toBe(204);
    expect((await send(control('resetState', 'POST', '/_mock/reset', 'code=400'))).status).toBe(200);
    expect((await send(tavus(TAVUS_KEY))).status).toBe(204);
  });

  test('health with an undocumented Prefer: code=500 is still the health', async () => {
    expect((await send(control('getHealth', 'GET', '/_mock/health', 'code=500'))).status).toBe(200);
  });
});
