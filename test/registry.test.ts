/**
 * A variant is one folder and one line in src/variants/registry.ts: everything that lists variants takes them from
 * there. For every registered variant: the fuzzer has its generator, `tombstone serve` serves it and lists it on the
 * landing page, a reset restores it, and the MSW handlers serve it too.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHandlers } from '../src/mock/adapter/msw/index.js';
import type { DocumentEntry } from '../src/mock/types.js';
import { mockBasePath } from '../src/openapi/model.js';
import { variantNames, variants } from '../src/variants/registry.js';
import { fuzzRequests } from './support/fuzzRequests.js';
import { useMock } from './support/mock.js';

const MSW_ORIGIN = 'http://registry.msw.test';
const msw = setupServer(...(await createHandlers({ origin: MSW_ORIGIN })));
beforeAll(() => msw.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => msw.close());
const mock = useMock();

test('the fuzzer has a generator for exactly the registered variants', () => {
  expect(Object.keys(fuzzRequests).sort()).toEqual([...variantNames].sort());
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
});
