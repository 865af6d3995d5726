/**
 * Tenancy and authentication for every variant (OWASP API1:2023 broken object-level authorization, API2:2023
 * broken authentication). A valid credential of tenant B never deletes, nor learns the existence of, tenant A's
 * documents: the answer is byte-for-byte the one for a document that does not exist (request IDs aside).
 * Missing, malformed, expired, wrong-scheme and query-string credentials get the documented 401.
 */
import { describe, expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { specs } from '../src/specs.js';
import { observe, useMock } from './support/mock.js';

const mock = useMock();

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

interface Variant {
  name: string;
  operation: string;
  /** Tenant B deleting tenant A's document. */
  foreign: Request;
  /** Tenant B deleting a document that exists nowhere. */
  missing: Request;
  /** Where tenant A's document must still be afterwards. */
  stillThere: string;
  /** Credentials that must be refused with `status`, on tenant A's document (oneflow: the secret of its webhook). */
  badCredentials: { name: string; request: Request }[];
  status401: number;
}

const LEADLEX_PATH = '/leadlex/functions/v1/api-gateway/v1/documents';
const DIFY_PATH =
  '/dify/v1/datasets/5f2d8c1e-3b4a-4c6d-8e9f-0a1b2c3d4e5f/documents/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const VELT_PATH = '/velt/v2/organizations/documents/delete';
const veltBody = (organizationId: string, id: string) => ({ data: { organizationId, documentIds: [id] } });
const veltHeaders = (key: string, token: string) => ({
  'x-velt-api-key': key,
  'x-velt-auth-token': token,
  'content-type': 'application/json',
});
const ONEFLOW_PATH = '/oneflow/api/webhook/abc123xyz/document/delete';
const json = { 'content-type': 'application/json' };

const variants: Variant[] = [
  {
    name: 'leadlex',
    operation: 'deleteDocument',
    foreign: {
      method: 'DELETE',
      path: `${LEADLEX_PATH}/doc_01HY1`,
      headers: { authorization: 'Bearer wbk_other_workspace_key' },
    },
    missing: {
      method: 'DELETE',
      path: `${LEADLEX_PATH}/doc_nowhere`,
      headers: { authorization: 'Bearer wbk_other_workspace_key' },
    },
    stillThere: 'doc_01HY1',
    status401: 401,
    badCredentials: [
      { name: 'missing', request: { method: 'DELETE', path: `${LEADLEX_PATH}/doc_01HY1`, headers: {} } },
      {
        name: 'malformed (no token)',
        request: { method: 'DELETE', path: `${LEADLEX_PATH}/doc_01HY1`, headers: { authorization: 'Bearer' } },
      },
      {
        name: 'malformed (two tokens)',
        request: {
          method: 'DELETE',
          path: `${LEADLEX_PATH}/doc_01HY1`,
          headers: { authorization: 'Bearer wbk_your_api_key_here extra' },
        },
      },
      {
        name: 'expired',
        request: {
          method: 'DELETE',
          path: `${LEADLEX_PATH}/doc_01HY1`,
          headers: { authorization: 'Bearer wbk_expired_key' },
        },
      },
      {
        name: 'wrong scheme',
        request: {
          method: 'DELETE',
          path: `${LEADLEX_PATH}/doc_01HY1`,
          headers: { authorization: 'Token wbk_your_api_key_here' },
        },
      },
      {
        name: 'raw key without scheme',
        request: {
          method: 'DELETE',
          path: `${LEADLEX_PATH}/doc_01HY1`,
          headers: { authorization: 'wbk_your_api_key_here' },
        },
      },
      {
        name: 'in the query string',
        request: {
          method: 'DELETE',
          path: `${LEADLEX_PATH}/doc_01HY1?access_token=wbk_your_api_key_here`,
          headers: {},
        },
      },
    ],
  },
  {
    name: 'dify',
    operation: 'deleteDocument',
    foreign: { method: 'DELETE', path: DIFY_PATH, headers: { authorization: 'Bearer dataset-other-account-key' } },
    missing: {
      method: 'DELETE',
      path: '/dify/v1/datasets/00000000-0000-4000-8000-000000000000/documents/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      headers: { authorization: 'Bearer dataset-other-account-key' },
    },
    stillThere: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    status401: 401,
    badCredentials: [
      { name: 'missing', request: { method: 'DELETE', path: DIFY_PATH, headers: {} } },
      {
        name: 'malformed (no token)',
        request: { method: 'DELETE', path: DIFY_PATH, headers: { authorization: 'Bearer ' } },
      },
      {
        name: 'wrong scheme',
        request: { method: 'DELETE', path: DIFY_PATH, headers: { authorization: 'Basic e0FQSV9LRVl9' } },
      },
      {
        name: 'raw key without scheme',
        request: { method: 'DELETE', path: DIFY_PATH, headers: { authorization: '{API_KEY}' } },
      },
      {
        name: 'in the query string',
        request: { method: 'DELETE', path: `${DIFY_PATH}?api_key={API_KEY}`, headers: {} },
      },
    ],
  },
  {
    name: 'tavus',
    operation: 'deleteDocument',
    foreign: {
      method: 'DELETE',
      path: '/tavus/v2/documents/d8-5c71baca86fc',
      headers: { 'x-api-key': 'tavus-other-account-key' },
    },
    missing: {
      method: 'DELETE',
      path: '/tavus/v2/documents/d0-nowhere',
      headers: { 'x-api-key': 'tavus-other-account-key' },
    },
    stillThere: 'd8-5c71baca86fc',
    status401: 401,
    badCredentials: [
      { name: 'missing', request: { method: 'DELETE', path: '/tavus/v2/documents/d8-5c71baca86fc', headers: {} } },
      {
        name: 'empty',
        request: { method: 'DELETE', path: '/tavus/v2/documents/d8-5c71baca86fc', headers: { 'x-api-key': '' } },
      },
      {
        name: 'as a bearer token',
        request: {
          method: 'DELETE',
          path: '/tavus/v2/documents/d8-5c71baca86fc',
          headers: { authorization: 'Bearer <api-key>' },
        },
      },
      {
        name: 'in the query string',
        request: { method: 'DELETE', path: '/tavus/v2/documents/d8-5c71baca86fc?x-api-key=%3Capi-key%3E', headers: {} },
      },
    ],
  },
  {
    name: 'velt',
    operation: 'deleteDocuments',
    foreign: {
      method: 'POST',
      path: VELT_PATH,
      headers: veltHeaders('velt-other-api-key', 'velt-other-auth-token'),
      body: veltBody('yourOrganizationId', 'yourDocumentId1'),
    },
    missing: {
      method: 'POST',
      path: VELT_PATH,
      headers: veltHeaders('velt-other-api-key', 'velt-other-auth-token'),
      body: veltBody('noSuchOrganization', 'yourDocumentId1'),
    },
    stillThere: 'yourDocumentId1',
    status401: 401,
    badCredentials: [
      {
        name: 'both missing',
        request: {
          method: 'POST',
          path: VELT_PATH,
          headers: json,
          body: veltBody('yourOrganizationId', 'yourDocumentId1'),
        },
      },
      {
        name: 'API key only',
        request: {
          method: 'POST',
          path: VELT_PATH,
          headers: { 'x-velt-api-key': '<x-velt-api-key>', ...json },
          body: veltBody('yourOrganizationId', 'yourDocumentId1'),
        },
      },
      {
        name: 'expired token',
        request: {
          method: 'POST',
          path: VELT_PATH,
          headers: veltHeaders('<x-velt-api-key>', 'expired-velt-auth-token'),
          body: veltBody('yourOrganizationId', 'yourDocumentId1'),
        },
      },
      {
        name: "another app's token",
        request: {
          method: 'POST',
          path: VELT_PATH,
          headers: veltHeaders('<x-velt-api-key>', 'velt-other-auth-token'),
          body: veltBody('yourOrganizationId', 'yourDocumentId1'),
        },
      },
      {
        name: 'as a bearer token',
        request: {
          method: 'POST',
          path: VELT_PATH,
          headers: { authorization: 'Bearer <x-velt-api-key>', ...json },
          body: veltBody('yourOrganizationId', 'yourDocumentId1'),
        },
      },
      {
        name: 'in the query string',
        request: {
          method: 'POST',
          path: `${VELT_PATH}?x-velt-api-key=%3Cx-velt-api-key%3E&x-velt-auth-token=%3Cx-velt-auth-token%3E`,
          headers: json,
          body: veltBody('yourOrganizationId', 'yourDocumentId1'),
        },
      },
    ],
  },
  {
    name: 'oneflow',
    operation: 'deleteDocument',
    foreign: {
      method: 'POST',
      path: '/oneflow/api/webhook/other-webhook/document/delete',
      headers: { authorization: 'other-webhook-secret', ...json },
      body: { docId: 'your-document-id' },
    },
    missing: {
      method: 'POST',
      path: '/oneflow/api/webhook/other-webhook/document/delete',
      headers: { authorization: 'other-webhook-secret', ...json },
      body: { docId: 'doc_nowhere' },
    },
    stillThere: 'your-document-id',
    status401: 401,
    badCredentials: [
      {
        name: 'missing',
        request: { method: 'POST', path: ONEFLOW_PATH, headers: json, body: { docId: 'your-document-id' } },
      },
      {
        name: 'as a bearer token',
        request: {
          method: 'POST',
          path: ONEFLOW_PATH,
          headers: { authorization: 'Bearer your-webhook-secret', ...json },
          body: { docId: 'your-document-id' },
        },
      },
      {
        name: "another webhook's secret",
        request: {
          method: 'POST',
          path: ONEFLOW_PATH,
          headers: { authorization: 'other-webhook-secret', ...json },
          body: { docId: 'your-document-id' },
        },
      },
      {
        name: 'in the query string',
        request: {
          method: 'POST',
          path: `${ONEFLOW_PATH}?secret=your-webhook-secret`,
          headers: json,
          body: { docId: 'your-document-id' },
        },
      },
    ],
  },
];

const send = async (r: Request) =>
  observe(
    await fetch(`${mock().origin}${r.path}`, {
      method: r.method,
      headers: r.headers,
      ...(r.body ? { body: JSON.stringify(r.body) } : {}),
    }),
  );
/** The body with the per-request ID taken out, which alone may differ between two answers. */
const comparable = (body: string) => body.replace(/req_[0-9A-HJKMNP-TV-Z]{26}/g, 'req_ID');
const stateText = async (variant: string) =>
  JSON.stringify(await (await fetch(`${mock().origin}/_mock/state/${variant}`)).json());

describe.each(variants)('$name', (v) => {
  test("another tenant's document: the same answer as a missing one, and it stays", async () => {
    const foreign = await send(v.foreign);
    const missing = await send(v.missing);
    expect(foreign.status).toBe(404);
    expect({ status: foreign.status, body: comparable(foreign.body) }).toEqual({
      status: missing.status,
      body: comparable(missing.body),
    });
    for (const r of [foreign, missing]) expect(checkResponse(specs[v.name]!, v.operation, r)).toEqual([]);
    expect(await stateText(v.name)).toContain(v.stillThere);
  });

  test.each(v.badCredentials)('$name credentials → the documented 401, nothing deleted', async ({ request }) => {
    const res = await send(request);
    expect(res.status).toBe(v.status401);
    expect(checkResponse(specs[v.name]!, v.operation, res)).toEqual([]);
    expect(await stateText(v.name)).toContain(v.stillThere);
  });
});
