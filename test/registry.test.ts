/**
 * A variant is one folder and one line in src/variants/registry.ts: everything that lists variants takes them from
 * there. For every registered variant: the fuzzer makes requests for every operation of its spec, `tombstone serve`
 * serves it and lists it on the landing page, a reset restores it, and the MSW handlers serve it too. Its demo
 * credentials are one list: the banner's lines are made from it, and the fuzzer sends every one.
 */
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHandlers } from '../src/mock/adapter/msw/index.js';
import { credentialsOf } from '../src/mock/journal.js';
import type { AnyVariant, DocumentEntry } from '../src/mock/types.js';
import { mockBasePath, operations } from '../src/openapi/model.js';
import { type VariantName, variantNames, variants } from '../src/variants/registry.js';
import { fuzzRequests } from './support/fuzzRequests.js';
import { useMock } from './support/mock.js';

const MSW_ORIGIN = 'http://registry.msw.test';
const msw = setupServer(...(await createHandlers({ origin: MSW_ORIGIN })));
beforeAll(() => msw.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => msw.close());
const mock = useMock();

/** The operations the fuzzer's requests were made for, and the operations that answer them, by method. */
function fuzzed(variant: AnyVariant) {
  const made = fc.sample(fuzzRequests(variant), { numRuns: 1_000, seed: 15 });
  const mount = `/${variant.name}${mockBasePath(variant.definition)}/`;
  return {
    operations: [...new Set(made.map((r) => r.operation))].sort(),
    outsideMount: made.filter((r) => !r.path.startsWith(mount)).map((r) => r.path),
    answeredBy: [...new Set(made.map((r) => `${r.method} ${r.operation} -> ${r.answeredBy}`))],
  };
}

test.each(variantNames)('the fuzzer makes requests for every operation of %s, below its base URL', (name) => {
  const variant = variants[name];
  const got = fuzzed(variant);
  expect(got.operations).toEqual(
    operations(variant.definition)
      .map((op) => op.id)
      .sort(),
  );
  expect(got.outsideMount).toEqual([]);
});

test('the fuzzer takes a new operation from the spec: a GET added to Tavus is fuzzed and answers GETs', () => {
  const definition = structuredClone(variants.tavus.definition);
  const item = definition.paths['/v2/documents/{document_id}']!;
  item.get = { ...item.delete!, operationId: 'getDocument' };
  const got = fuzzed({ ...variants.tavus, definition });
  expect(got.operations).toEqual(['deleteDocument', 'getDocument']);
  expect(got.answeredBy).toEqual(
    expect.arrayContaining([
      'GET getDocument -> getDocument',
      'GET deleteDocument -> getDocument',
      'DELETE getDocument -> deleteDocument',
      'POST getDocument -> getDocument',
      'POST deleteDocument -> deleteDocument',
    ]),
  );
});

describe.each(variantNames)('%s', (name) => {
  const variant = variants[name];
  const base = `/${name}${mockBasePath(variant.definition)}`;
  const first: DocumentEntry = variant.documents(variant.defaultSeed as never).find((d) => d.expect.status < 300)!;
  const send = (origin: string) =>
    fetch(`${origin}${base}${first.request.path}`, {
      method: first.request.method,
      headers: first.request.headers,
      ...(first.request.body === undefined ? {} : { body: JSON.stringify(first.request.body) }),
    });

  test('is served and listed on the landing page', async () => {
    const health = await (await fetch(`${mock().origin}/_mock/health`)).json();
    expect(health.variants).toContain(name);
    const page = await (await fetch(`${mock().origin}/`)).text();
    expect(page).toContain(`<section id="${name}"`);
  });

  test('a reset restores it', async () => {
    const state = async () => (await (await fetch(`${mock().origin}/_mock/state/${name}`)).json()).data;
    const seeded = await state();
    expect((await send(mock().origin)).status).toBe(first.expect.status);
    expect(await state()).not.toEqual(seeded);
    const reset = await (await fetch(`${mock().origin}/_mock/reset`, { method: 'POST' })).json();
    expect(reset.reset).toContain(name);
    expect(await state()).toEqual(seeded);
  });

  test('the MSW handlers serve it, with its bundled default seed', async () => {
    expect((await send(MSW_ORIGIN)).status).toBe(first.expect.status);
    await fetch(`${MSW_ORIGIN}/_mock/reset`, { method: 'POST' });
  });

  const seed = variant.defaultSeed as never;
  /** A request's credential: the headers of `headers` that the spec's security schemes read, as one string. */
  const carriers = credentialsOf([variant.definition]).headers;
  const credentialOf = (headers: Record<string, string>) =>
    JSON.stringify(
      Object.entries(headers)
        .map(([name, value]) => [name.toLowerCase(), value])
        .filter(([name]) => carriers.has(name!))
        .sort(),
    );
  const demo = variant.demoCredentials(seed).map((c) => credentialOf(c.headers));

  test('its demo credentials have one line each, and hold every credential its seeded documents send', () => {
    expect(variant.credentials(seed)).toHaveLength(demo.length);
    const sent = variant.documents(seed).map((d) => credentialOf(d.request.headers));
    expect(sent.filter((c) => !demo.includes(c))).toEqual([]);
  });

  test('the fuzzer sends every demo credential, other tenants’ and expired ones too', () => {
    const fuzzed = new Set(
      fc.sample(fuzzRequests(variant), { numRuns: 1_000, seed: 15 }).map((r) => credentialOf(r.headers)),
    );
    expect(demo.filter((c) => c !== '[]' && !fuzzed.has(c))).toEqual([]);
  });
});

// biome-ignore format: a table, one case per line
const lines: { given: string; name: VariantName; want: string }[] = [
  { given: 'a LeadLex key with an expiry', name: 'leadlex', want: 'Authorization: Bearer wbk_expired_key  (ws_demo; write:documents, admin:documents; expires 2024-01-01T00:00:00Z)' },
  { given: 'a LeadLex key with a rate limit', name: 'leadlex', want: 'Authorization: Bearer wbk_tiny_rate_limit_key  (ws_demo; write:documents; 2/60s)' },
  { given: 'a Velt key and token, another app’s', name: 'velt', want: 'x-velt-api-key: velt-other-api-key + x-velt-auth-token: velt-other-auth-token  (app_other)' },
  { given: 'a 1Flow webhook without a secret', name: 'oneflow', want: 'no credential needed  (webhook open-webhook)' },
  { given: 'a Tavus key of another account', name: 'tavus', want: 'x-api-key: tavus-other-account-key  (acct_other)' },
];

test.each(lines)('the credential line of $given', ({ name, want }) => {
  const variant: AnyVariant = variants[name];
  expect(variant.credentials(variant.defaultSeed as never)).toContain(want);
});
