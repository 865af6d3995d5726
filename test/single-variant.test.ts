/** `--variant <name>` serves one variant at the root (the vendor's own paths, unchanged); PORT picks the port. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { specs } from '../src/specs.js';
import { observe, type RunningMock, startMock } from './support/mock.js';
import { spawnServe } from './support/serve.js';

describe('one variant at the root', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ variant: 'dify' });
  });
  afterAll(() => mock.close());

  const DOC = '/v1/datasets/5f2d8c1e-3b4a-4c6d-8e9f-0a1b2c3d4e5f/documents/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
  const cases = [
    { name: 'the vendor path deletes', given: DOC, want: 204 },
    { name: 'the second delete is the documented 404', given: DOC, want: 404 },
    { name: 'the prefixed path is not a route here', given: `/dify${DOC}`, want: 404 },
  ];
  test.each(cases)('$name', async ({ given, want }) => {
    const res = await observe(
      await fetch(`${mock.origin}${given}`, { method: 'DELETE', headers: { authorization: 'Bearer {API_KEY}' } }),
    );
    expect(res.status).toBe(want);
    expect(checkResponse(specs['dify']!, 'deleteDocument', res)).toEqual([]);
  });

  test('the control API is still under /_mock and serves only this variant', async () => {
    const health = await (await fetch(`${mock.origin}/_mock/health`)).json();
    expect(health.variants).toEqual(['dify']);
  });
});

test('PORT sets the port and the banner prints the root base URL with the demo credentials', async () => {
  const { origin, banner, kill } = await spawnServe(['--variant', 'tavus'], { ...process.env, PORT: '0' });
  kill('SIGTERM');
  expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(banner).toContain(`tavus    ${origin}\n`);
  expect(banner).toContain('x-api-key: <api-key>');
  expect(banner).not.toContain('leadlex');
});
