/**
 * The MSW handlers as a frontend's vitest uses them: `setupServer` plus the typed clients in examples/, unchanged.
 * Deleting twice shows the state is the real mock's (the shared contract suite runs in full on this target too:
 * test/support/targets.ts).
 */
import { setupServer } from 'msw/node';
import { createHandlers, createVariantHandlers } from 'tombstone/msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as dify from '../examples/dify.js';
import * as leadlex from '../examples/leadlex.js';
import * as oneflow from '../examples/oneflow.js';
import * as tavus from '../examples/tavus.js';
import * as velt from '../examples/velt.js';
import { schemas } from '../generated/mock-admin/validators.js';
import type { VariantName } from '../src/variants/registry.js';

/** The code of a MockError body, after checking it against the schema. */
const checkMockLayerError = (body: { error: { code: string } }) =>
  schemas.MockError(body) ? body.error.code : 'not a MockError';

const server = setupServer(...(await createHandlers()));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(async () => {
  await fetch('http://localhost:4010/_mock/reset', { method: 'POST' });
});

/** Each variant's example, its base URL on the mock and the vendor's production base URL; what two deletes get. */
const cases = [
  {
    variant: 'leadlex',
    mock: leadlex.MOCK_BASE_URL,
    production: 'https://data.leadlex.com/functions/v1/api-gateway',
    given: (base: string) => leadlex.deleteDocument(leadlex.leadlexClient(undefined, base), 'doc_01HY1'),
    want: [
      { status: 204, requestId: expect.stringMatching(/^req_/) },
      { status: 404, code: 'not_found' },
    ],
  },
  {
    variant: 'dify',
    mock: dify.MOCK_BASE_URL,
    production: 'https://api.dify.ai/v1',
    given: (base: string) =>
      dify.deleteDocument(
        dify.difyClient(undefined, base),
        '5f2d8c1e-3b4a-4c6d-8e9f-0a1b2c3d4e5f',
        'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      ),
    want: [{ status: 204 }, { status: 404, code: 'not_found' }],
  },
  {
    variant: 'tavus',
    mock: tavus.MOCK_BASE_URL,
    production: 'https://tavusapi.com',
    given: (base: string) => tavus.deleteDocument(tavus.tavusClient(undefined, base), 'd8-5c71baca86fc'),
    want: [{ status: 204 }, { status: 404, message: 'Document not found' }],
  },
  {
    variant: 'velt',
    mock: velt.MOCK_BASE_URL,
    production: 'https://api.velt.dev',
    given: (base: string) =>
      velt.deleteDocuments(velt.veltClient(undefined, undefined, base), 'yourOrganizationId', ['yourDocumentId1']),
    want: [
      { status: 200, messages: { yourDocumentId1: 'Deleted Successfully' } },
      { status: 200, messages: { yourDocumentId1: 'Document does not exist' } },
    ],
  },
  {
    variant: 'oneflow',
    mock: oneflow.MOCK_BASE_URL,
    production: 'https://app.1flow.io',
    given: (base: string) =>
      oneflow.deleteDocument(oneflow.oneflowClient(undefined, base), 'abc123xyz', 'your-document-id'),
    want: [
      { status: 200, deleted: 'your-document-id' },
      { status: 404, error: 'Document not found' },
    ],
  },
] satisfies { variant: VariantName; [property: string]: unknown }[];

describe('createHandlers: every variant on http://localhost:4010, as `npm start` serves them', () => {
  test.each(cases)(
    '$variant: the example deletes, and the same delete again is refused',
    async ({ mock, given, want }) => {
      expect(await given(mock)).toMatchObject(want[0]!);
      expect(await given(mock)).toMatchObject(want[1]!);
    },
  );

  test('the landing page and the control API answer too', async () => {
    const page = await fetch('http://localhost:4010/');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('data-variant="oneflow"');
    expect(await (await fetch('http://localhost:4010/_mock/health')).json()).toMatchObject({
      status: 'ok',
      variants: ['leadlex', 'dify', 'tavus', 'velt', 'oneflow'],
    });
  });

  test('the API reference, built from files by `tombstone serve`, is the documented docs_unavailable', async () => {
    for (const path of ['/_mock/docs/', '/_mock/docs/tavus']) {
      const res = await fetch(`http://localhost:4010${path}`);
      expect(res.status, path).toBe(404);
      expect(checkMockLayerError(await res.json()), path).toBe('docs_unavailable');
    }
  });
});

describe("createVariantHandlers: one variant at the vendor's production origin", () => {
  test.each(cases)(
    '$variant: code that calls the vendor gets the mock, state included',
    async ({ variant, production, given, want }) => {
      server.use(...(await createVariantHandlers(variant)));
      expect(await given(production)).toMatchObject(want[0]!);
      expect(await given(production)).toMatchObject(want[1]!);
    },
  );
});

test('your own seed data, on an origin of your choosing', async () => {
  const seed = { accounts: [{ id: 'acct_mine', apiKeys: ['my-key'], documents: [{ id: 'd-mine', name: 'Mine' }] }] };
  server.use(...(await createVariantHandlers('tavus', { origin: 'https://fixtures.test', seed })));
  const client = tavus.tavusClient('my-key', 'https://fixtures.test');
  expect(await tavus.deleteDocument(client, 'd-mine')).toEqual({ status: 204 });
  expect(await tavus.deleteDocument(client, 'd8-5c71baca86fc'), 'a document of mocks/tavus.json only').toMatchObject({
    status: 404,
  });
});

test('a seed that does not match its schema is refused when the handlers are made', async () => {
  await expect(createHandlers({ seeds: { tavus: { accounts: [{ id: 'a' }] } } })).rejects.toThrow(
    "Failed to load the tavus seed: field accounts.0 must have required property 'apiKeys'. Try fixing it against the TavusSeed schema in openapi/mock-admin.yaml.",
  );
});
