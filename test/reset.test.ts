/**
 * A reset goes back to the seed however much was deleted. Every store made from a seed (at start, on each reset)
 * shares its objects, frozen, so a store that changed one would fail here: a TypeError on the frozen object, or a
 * reset that no longer restores the seed.
 */
import { expect, test } from 'vitest';
import { mockBasePath } from '../src/openapi/model.js';
import { variants } from '../src/variants/registry.js';
import { useMock } from './support/mock.js';

const mock = useMock();

test.each(Object.keys(variants))(
  '%s: every deletable seeded document deleted, twice over a reset, then restored',
  async (name) => {
    const { origin, app } = mock();
    const runtime = app.runtimes.get(name)!;
    const { variant } = runtime;
    const state = () => JSON.stringify(runtime.snapshot());
    const seeded = state();
    const deletable = variant.documents(runtime.snapshot()).filter((doc) => doc.expect.status < 300);
    expect(deletable.length).toBeGreaterThan(0);
    for (const round of [1, 2]) {
      for (const { request, expect: want } of deletable) {
        const res = await fetch(`${origin}/${name}${mockBasePath(variant.definition)}${request.path}`, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        });
        expect(res.status, `round ${round}: ${request.method} ${request.path}`).toBe(want.status);
      }
      expect(state()).not.toBe(seeded);
      expect((await fetch(`${origin}/_mock/reset`, { method: 'POST' })).status).toBe(200);
      expect(state()).toBe(seeded);
    }
  },
);
