/**
 * Property-based fuzzing of every operation of every registered variant over real HTTP (fast-check), with requests
 * built from the registry and the specs (test/support/fuzzRequests.ts). Random and schema-violating paths, query
 * strings, headers, credentials and bodies: wrong types, huge strings, deep nesting, invalid UTF-8 (bytes 0xFF
 * 0xFE), wrong or missing Content-Type, malformed JSON. Invariants: never a 5xx; every answer documented by the
 * spec and valid against it; state changes only on a documented success; the server stays up.
 *
 * A chaos profile is on throughout (test/support/chaos.ts): a quarter of the answers are documented errors drawn at
 * random, and they must hold to the same invariants.
 *
 * Fixed seed and run count by default (10,000 requests in all); run more with another seed:
 *   FUZZ_SEED=42 FUZZ_RUNS=20000 npx vitest run test/fuzz.test.ts
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { checkMockLayerResponse, specs } from '../src/specs.js';
import { variantNames, variants } from '../src/variants/registry.js';
import { chaosEverywhere } from './support/chaos.js';
import { fuzzRequests } from './support/fuzzRequests.js';
import { observe, type RunningMock, startMock } from './support/mock.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261123);
/** Requests per variant; five variants make 10,000 by default. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2_000);

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ chaos: chaosEverywhere(SEED, 0.25) });
});
afterAll(() => mock.close());

const snapshot = (variant: string) => {
  const runtime = mock.app.runtimes.get(variant)!;
  return JSON.stringify(runtime.snapshot());
};

describe.each(variantNames)('fuzz %s', (variant) => {
  test(`${RUNS} random requests: no 5xx, all documented, state changes only on success`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequests(variants[variant]), async (r) => {
        const body = r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body;
        const before = snapshot(variant);
        const sent = `${r.method} ${r.path}`;
        const res = await observe(
          await fetch(`${mock.origin}${r.path}`, {
            method: r.method,
            headers: r.headers,
            ...(body === undefined ? {} : { body }),
          }),
        );
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, sent).toBeLessThan(500);
        expect(checkResponse(specs[variant]!, r.answeredBy, res), `${sent} ${res.body.slice(0, 200)}`).toEqual([]);
        if (snapshot(variant) !== before) {
          expect(res.status, `state changed on ${res.status}`).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(300);
          mock.app.runtimes.get(variant)!.reset();
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The fuzzer must have reached both successes and failures, or it proved little.
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(3);
    const injected = mock.app.journal.query({ variant, limit: RUNS }).filter((r) => r.reason?.kind === 'chaos');
    expect(injected.length).toBeGreaterThan(0);
    const health = await observe(await fetch(`${mock.origin}/_mock/health`));
    expect(health.status).toBe(200);
    expect(
      checkMockLayerResponse(
        'preflight',
        await observe(await fetch(`${mock.origin}/${variant}/x`, { method: 'OPTIONS' })),
      ),
    ).toEqual([]);
  }, 180_000);
});
