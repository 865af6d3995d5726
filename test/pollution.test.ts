/**
 * Prototype pollution and injection (OWASP API8:2023): inherited names as IDs, path segments, JSON keys and
 * header names, and encoded slashes or dots in path parameters. Nothing inherited is ever found in a store, no
 * encoded path reaches another route, and every answer is one the spec documents.
 */
import { describe, expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { specs } from '../src/specs.js';
import { observe, useMock } from './support/mock.js';

const INHERITED = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
  '__defineGetter__',
  'valueOf',
];
const ENCODED = ['%2E%2E', '..%2F..%2F_mock%2Freset', '%2F_mock%2Fhealth', '%252F', 'a%00b', '%E0%A4%A'];

const mock = useMock();

interface Given {
  spec: string;
  operation: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const LEADLEX = { authorization: 'Bearer wbk_your_api_key_here' };
const VELT = {
  'x-velt-api-key': '<x-velt-api-key>',
  'x-velt-auth-token': '<x-velt-auth-token>',
  'content-type': 'application/json',
};
const JSON_TYPE = { 'content-type': 'application/json', authorization: 'your-webhook-secret' };

/** Each name used wherever a caller chooses a name; the answer must be the documented "not found" (or 400). */
const given: (Given & { want: number[] })[] = [...INHERITED, ...ENCODED].flatMap((name) => [
  {
    spec: 'leadlex',
    operation: 'deleteDocument',
    method: 'DELETE',
    path: `/leadlex/functions/v1/api-gateway/v1/documents/${name}`,
    headers: LEADLEX,
    want: [404, 400],
  },
  {
    spec: 'leadlex',
    operation: 'deleteDocument',
    method: 'DELETE',
    path: `/leadlex/functions/v1/api-gateway/v1/documents/doc_01HY2`,
    headers: { ...LEADLEX, authorization: `Bearer ${name}` },
    want: [401],
  },
  {
    spec: 'dify',
    operation: 'deleteDocument',
    method: 'DELETE',
    path: `/dify/v1/datasets/${name}/documents/${name}`,
    headers: { authorization: 'Bearer {API_KEY}' },
    want: [400, 404],
  },
  {
    spec: 'dify',
    operation: 'deleteDocument',
    method: 'DELETE',
    path: `/dify/v1/datasets/5f2d8c1e-3b4a-4c6d-8e9f-0a1b2c3d4e5f/documents/b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e`,
    headers: { authorization: `Bearer ${name}` },
    want: [401],
  },
  {
    spec: 'tavus',
    operation: 'deleteDocument',
    method: 'DELETE',
    path: `/tavus/v2/documents/${name}`,
    headers: { 'x-api-key': '<api-key>' },
    want: [404],
  },
  {
    spec: 'tavus',
    operation: 'deleteDocument',
    method: 'DELETE',
    path: `/tavus/v2/documents/d9-1a2b3c4d5e6f`,
    headers: { 'x-api-key': name },
    want: [401],
  },
  {
    spec: 'velt',
    operation: 'deleteDocuments',
    method: 'POST',
    path: '/velt/v2/organizations/documents/delete',
    headers: VELT,
    body: JSON.stringify({ data: { organizationId: name, documentIds: [name] } }),
    want: [404],
  },
  {
    spec: 'velt',
    operation: 'deleteDocuments',
    method: 'POST',
    path: '/velt/v2/organizations/documents/delete',
    headers: { ...VELT, 'x-velt-api-key': name, 'x-velt-auth-token': name },
    body: JSON.stringify({ data: { organizationId: 'yourOrganizationId', documentIds: ['yourDocumentId3'] } }),
    want: [401],
  },
  {
    spec: 'oneflow',
    operation: 'deleteDocument',
    method: 'POST',
    path: `/oneflow/api/webhook/${name}/document/delete`,
    headers: JSON_TYPE,
    body: JSON.stringify({ docId: 'your-document-id' }),
    want: [404],
  },
  {
    spec: 'oneflow',
    operation: 'deleteDocument',
    method: 'POST',
    path: '/oneflow/api/webhook/abc123xyz/document/delete',
    headers: JSON_TYPE,
    body: JSON.stringify({ docId: name }),
    want: [404],
  },
]);

describe('inherited and encoded names', () => {
  test.each(
    given.map((g) => ({
      ...g,
      name: `${g.spec} ${g.method} ${g.path.slice(0, 70)} ${g.headers['authorization'] ?? g.headers['x-api-key'] ?? g.headers['x-velt-api-key'] ?? ''} ${g.body ?? ''}`,
    })),
  )('$name', async (g) => {
    const res = await observe(
      await fetch(`${mock().origin}${g.path}`, {
        method: g.method,
        headers: g.headers,
        ...(g.body ? { body: g.body } : {}),
      }),
    );
    expect(g.want, res.body).toContain(res.status);
    expect(checkResponse(specs[g.spec]!, g.operation, res)).toEqual([]);
  });

  test('velt: inherited names as document IDs are reported as not existing, each under its own key', async () => {
    const body = { data: { organizationId: 'yourOrganizationId', documentIds: INHERITED } };
    const res = await observe(
      await fetch(`${mock().origin}/velt/v2/organizations/documents/delete`, {
        method: 'POST',
        headers: VELT,
        body: JSON.stringify(body),
      }),
    );
    expect(res.status).toBe(200);
    expect(checkResponse(specs['velt']!, 'deleteDocuments', res)).toEqual([]);
    const data = JSON.parse(res.body).result.data;
    expect(Object.keys(data).sort()).toEqual([...INHERITED].sort());
    for (const name of INHERITED) expect(data[name].message).toBe('Document does not exist');
  });

  test('JSON keys __proto__ and constructor in a body are refused where the schema is closed, and pollute nothing', async () => {
    const res = await observe(
      await fetch(`${mock().origin}/velt/v2/organizations/documents/delete`, {
        method: 'POST',
        headers: VELT,
        body: '{"data":{"organizationId":"yourOrganizationId","documentIds":["yourDocumentId3"],"__proto__":{"polluted":true}},"constructor":{"prototype":{"polluted":true}}}',
      }),
    );
    expect(res.status).toBe(400);
    expect(checkResponse(specs['velt']!, 'deleteDocuments', res)).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('an inherited name as a header name is just another header', async () => {
    const res = await observe(
      await fetch(`${mock().origin}/tavus/v2/documents/d9-1a2b3c4d5e6f`, {
        method: 'DELETE',
        headers: { 'x-api-key': '<api-key>', constructor: 'x', __proto__: 'y', hasOwnProperty: 'z' } as Record<
          string,
          string
        >,
      }),
    );
    expect(res.status).toBe(204);
  });

  test('no encoded path reached the control API: a delete made before them is not reset', async () => {
    await fetch(`${mock().origin}/velt/v2/organizations/documents/delete`, {
      method: 'POST',
      headers: VELT,
      body: JSON.stringify({ data: { organizationId: 'yourOrganizationId', documentIds: ['yourDocumentId3'] } }),
    });
    for (const name of ENCODED) {
      await fetch(`${mock().origin}/tavus/v2/documents/${name}`, { method: 'POST' });
      await fetch(`${mock().origin}/leadlex/functions/v1/api-gateway/v1/documents/${name}`, {
        method: 'DELETE',
        headers: LEADLEX,
      });
    }
    const velt = await (await fetch(`${mock().origin}/_mock/state/velt`)).json();
    const org = velt.data.apps[0].organizations.find((o: { id: string }) => o.id === 'yourOrganizationId');
    expect(org.documents.map((d: { id: string }) => d.id)).toEqual(['yourDocumentId1', 'yourDocumentId4']);
    const leadlex = await (await fetch(`${mock().origin}/_mock/state/leadlex`)).json();
    expect(leadlex.data.workspaces[0].documents).toHaveLength(6);
  });
});
