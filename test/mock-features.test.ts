/**
 * The request journal and chaos profiles at work, over real HTTP and through the MSW handlers alike
 * (test/support/targets.ts): what each request got and why, documented answers injected at random (the same seed,
 * the same sequence), a request's own Prefer winning, dropped connections, and resets back to the start.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import type { RequestRecord } from '../src/mock/journal.js';
import { specs } from '../src/specs.js';
import { observe } from './support/mock.js';
import { type RunningTarget, targets } from './support/targets.js';

const TAVUS_DOC = '/tavus/v2/documents/d8-5c71baca86fc';
const TAVUS_KEY = { 'x-api-key': '<api-key>' };
const LEADLEX_DOC = '/leadlex/functions/v1/api-gateway/v1/documents/doc_01HY1';
const LEADLEX_KEY = { authorization: 'Bearer wbk_your_api_key_here' };

for (const target of targets) {
  describe(`journal and chaos: ${target.name}`, () => {
    let running: RunningTarget;
    beforeAll(async () => {
      running = await target.start();
    });
    afterAll(() => running.close());
    beforeEach(async () => {
      await call('POST', '/_mock/reset');
      await call('DELETE', '/_mock/requests');
    });

    async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
      const init = body === undefined ? {} : { body: JSON.stringify(body) };
      const json: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
      const res = await running.fetch(`${running.origin}${path}`, {
        method,
        headers: { ...json, ...headers },
        ...init,
      });
      return observe(res);
    }
    /** A variant's delete, its answer checked against the variant's spec. */
    async function del(
      spec: 'tavus' | 'leadlex',
      headers: Record<string, string>,
      path = spec === 'tavus' ? TAVUS_DOC : LEADLEX_DOC,
    ) {
      const observed = await call('DELETE', path, headers);
      expect(checkResponse(specs[spec]!, 'deleteDocument', observed), observed.body).toEqual([]);
      return observed;
    }
    const journal = async (query = ''): Promise<RequestRecord[]> =>
      JSON.parse((await call('GET', `/_mock/requests${query}`)).body).requests;
    const setChaos = async (variant: string, profile: unknown) =>
      expect((await call('PUT', `/_mock/chaos/${variant}`, {}, profile)).status).toBe(200);

    test('each request to a variant is journaled, newest first, with why it was rejected and no credential', async () => {
      await del('tavus', {});
      await del('tavus', TAVUS_KEY);
      await call('GET', '/acme/nothing');
      await call('GET', '/_mock/health');
      const [unrouted, deleted, refused, ...rest] = await journal();
      expect(rest).toEqual([]);
      expect(unrouted).toMatchObject({
        method: 'GET',
        path: '/acme/nothing',
        status: 404,
        reason: { kind: 'route_not_found' },
      });
      expect(unrouted).not.toHaveProperty('variant');
      expect(deleted).toMatchObject({ variant: 'tavus', operationId: 'deleteDocument', status: 204 });
      expect(deleted!.requestHeaders['x-api-key']).toBe('…(redacted)');
      expect(deleted).not.toHaveProperty('reason');
      expect(refused).toMatchObject({
        variant: 'tavus',
        operationId: 'deleteDocument',
        method: 'DELETE',
        path: TAVUS_DOC,
        status: 401,
        reason: { kind: 'unauthorized', message: 'no valid credentials for apiKey' },
      });
      expect(JSON.parse(refused!.responseBody!)).toEqual({ message: 'Invalid access token' });
      expect(deleted!.id).toBeGreaterThan(refused!.id);
      expect(await journal('?status=401')).toEqual([refused]);
      expect(JSON.stringify(await journal())).not.toContain('<api-key>');
    });

    test('the landing page lists the latest requests with why they were rejected', async () => {
      await del('tavus', {});
      const page = (await call('GET', '/')).body;
      const table = page.slice(page.indexOf('<section id="requests">'));
      expect(table).toContain(`<td>DELETE</td><td>${TAVUS_DOC}</td><td>401</td>`);
      expect(table).toContain('<td>unauthorized: no valid credentials for apiKey</td>');
    });

    test('an injected error is the documented example with the variant headers, and changes no state', async () => {
      await setChaos('leadlex', { seed: 1, errors: { '429': 1 } });
      const injected = await del('leadlex', LEADLEX_KEY);
      expect(injected.status).toBe(429);
      for (const name of ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
        expect(injected.headers[name], name).toMatch(/^\d+$/);
      }
      expect(JSON.parse(injected.body).error).toMatchObject({
        code: 'rate_limited',
        request_id: injected.headers['x-request-id'],
      });
      const [record] = await journal();
      expect(record).toMatchObject({ status: 429, chaos: { status: 429, reset: false }, reason: { kind: 'chaos' } });
      expect((await call('DELETE', '/_mock/chaos/leadlex')).status).toBe(200);
      expect((await del('leadlex', LEADLEX_KEY)).status).toBe(204);
    });

    test("a request's own Prefer wins over the profile; credentials still come first", async () => {
      await setChaos('tavus', { seed: 1, errors: { '413': 1 } });
      expect((await del('tavus', { ...TAVUS_KEY, prefer: 'code=404' })).status).toBe(404);
      expect((await del('tavus', {})).status).toBe(401);
      expect((await del('tavus', TAVUS_KEY)).status).toBe(413);
    });

    test('the same seed gives the same sequence of answers', async () => {
      const run = async () => {
        await setChaos('tavus', { seed: 7, errors: { '413': 0.5 } });
        const statuses: number[] = [];
        for (let i = 0; i < 24; i++)
          statuses.push((await del('tavus', TAVUS_KEY, '/tavus/v2/documents/missing')).status);
        return statuses;
      };
      const first = await run();
      expect(new Set(first)).toEqual(new Set([404, 413]));
      expect(await run()).toEqual(first);
    });

    test('a reset drops the connection: fetch fails as on a network error, and the journal says so', async () => {
      await setChaos('tavus', { seed: 1, resetProbability: 1 });
      await expect(
        running.fetch(`${running.origin}${TAVUS_DOC}`, { method: 'DELETE', headers: TAVUS_KEY }),
      ).rejects.toThrow(TypeError);
      const [record] = await journal();
      expect(record).toMatchObject({ chaos: { reset: true }, reason: { kind: 'chaos' } });
      expect(record).not.toHaveProperty('status');
    });

    test('latency holds the answer; the journal measures it', async () => {
      await setChaos('tavus', { seed: 1, latency: { distribution: 'fixed', medianMs: 400 } });
      let held = true;
      const delayed = del('tavus', TAVUS_KEY).then((res) => {
        held = false;
        return res;
      });
      expect((await call('GET', '/_mock/health')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(held).toBe(true);
      expect((await delayed).status).toBe(204);
      const [record] = await journal();
      expect(record!.chaos).toEqual({ delayMs: 400, reset: false });
      expect(record!.durationMs).toBeGreaterThanOrEqual(390);
    });

    test('POST /_mock/reset removes the profiles set since start', async () => {
      await setChaos('tavus', { seed: 1, errors: { '413': 1 } });
      await call('POST', '/_mock/reset');
      expect(JSON.parse((await call('GET', '/_mock/chaos/tavus')).body)).toEqual({ variant: 'tavus' });
      expect((await del('tavus', TAVUS_KEY)).status).toBe(204);
    });
  });
}
