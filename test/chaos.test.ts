/**
 * Chaos profiles (src/mock/chaos.ts): a seeded PRNG (same seed, same decisions), only documented error statuses,
 * the drawn frequencies and latencies following the profile, and a request's own Prefer winning.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../src/errors.js';
import { Chaos, type ChaosProfile, chaosProfiles, mulberry32, profileProblem } from '../src/mock/chaos.js';
import { variants } from '../src/variants/registry.js';

const tavus = variants['tavus']!.definition;
const leadlex = variants['leadlex']!.definition;

/** A spec with two operations documenting different errors: GET documents 404 only, DELETE 404, 409 and 503. */
const twoOperations = {
  openapi: '3.0.3',
  info: { title: 'fixture', version: '1' },
  paths: {
    '/docs/{id}': {
      get: { operationId: 'getDocument', responses: { '200': { description: 'ok' }, '404': { description: 'gone' } } },
      delete: {
        operationId: 'deleteDocument',
        responses: {
          '204': { description: 'ok' },
          '404': { description: 'gone' },
          '409': { description: 'in use' },
          '503': { description: 'down' },
        },
      },
    },
  },
} as unknown as OpenAPIV3.Document;

const draws = (chaos: Chaos, operationId: string, n: number) =>
  Array.from({ length: n }, () => chaos.decide(operationId));
const share = (
  decisions: { status?: number; reset: boolean }[],
  pick: (d: { status?: number; reset: boolean }) => boolean,
) => decisions.filter(pick).length / decisions.length;

describe('mulberry32', () => {
  test('the same seed gives the same sequence; another seed another one', () => {
    const take = (seed: number) => Array.from({ length: 1_000 }, mulberry32(seed));
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
    expect(take(0)).toEqual(take(2 ** 32));
  });

  test('100,000 draws lie in [0, 1), spread evenly over ten bins', () => {
    const draws = Array.from({ length: 100_000 }, mulberry32(42));
    expect(draws.filter((x) => !(x >= 0 && x < 1))).toEqual([]);
    const bins = new Array<number>(10).fill(0);
    for (const x of draws) bins[Math.floor(x * 10)]!++;
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe('profileProblem: what the schema cannot check', () => {
  test.each<{ given: ChaosProfile; want: RegExp | undefined }>([
    { given: {}, want: undefined },
    { given: { errors: { '404': 0.5, '401': 0.5 } }, want: undefined },
    {
      given: { errors: { '500': 0.1 } },
      want: /^chaos for tavus: 500 is not an error status any tavus operation documents; use one of 401, 404, 413/,
    },
    { given: { errors: { '204': 0.1 } }, want: /204 is not an error status/ },
    { given: { errors: { '0404': 0.1 } }, want: /0404 is not an error status/ },
    { given: { errors: { '404': 0.7 }, resetProbability: 0.4 }, want: /add up to 1.1; make them add up to at most 1$/ },
    { given: { errors: { '404': 0.7 }, resetProbability: 0.3 }, want: undefined },
    { given: { latency: { distribution: 'lognormal' } }, want: /'lognormal' needs medianMs$/ },
    { given: { latency: { distribution: 'fixed' } }, want: /'fixed' needs medianMs$/ },
    { given: { latency: { distribution: 'uniform', minMs: 5 } }, want: /'uniform' needs maxMs/ },
    { given: { latency: { distribution: 'uniform', minMs: 50, maxMs: 10 } }, want: /minMs 50 is above maxMs 10/ },
    {
      given: { latency: { distribution: 'lognormal', medianMs: 900, maxMs: 500 } },
      want: /medianMs 900 lies outside minMs..maxMs \(0..500\)/,
    },
    { given: { latency: { distribution: 'lognormal', medianMs: 80, maxMs: 2000 } }, want: undefined },
  ])('tavus $given', ({ given, want }) => {
    const problem = profileProblem('tavus', tavus, given);
    if (want) expect(problem).toMatch(want);
    else expect(problem).toBeUndefined();
  });
});

describe('decisions', () => {
  test('the same seed gives the same decisions, the seed filled in when absent', () => {
    const profile: ChaosProfile = {
      errors: { '429': 0.1, '503': 0.02 },
      resetProbability: 0.01,
      latency: { distribution: 'lognormal', medianMs: 80, maxMs: 2000 },
    };
    const a = new Chaos(leadlex, { ...profile, seed: 7 });
    const b = new Chaos(leadlex, { ...profile, seed: 7 });
    expect(draws(a, 'deleteDocument', 500)).toEqual(draws(b, 'deleteDocument', 500));
    const unseeded = new Chaos(leadlex, profile);
    const replay = new Chaos(leadlex, { ...profile, seed: unseeded.profile.seed });
    expect(draws(unseeded, 'deleteDocument', 500)).toEqual(draws(replay, 'deleteDocument', 500));
    expect(Number.isInteger(unseeded.profile.seed)).toBe(true);
  });

  test('20,000 decisions follow the probabilities', () => {
    const chaos = new Chaos(leadlex, { seed: 1, errors: { '429': 0.1, '409': 0.02 }, resetProbability: 0.05 });
    const decisions = draws(chaos, 'deleteDocument', 20_000);
    expect(share(decisions, (d) => d.status === 429)).toBeCloseTo(0.1, 1);
    expect(share(decisions, (d) => d.status === 409)).toBeGreaterThan(0.015);
    expect(share(decisions, (d) => d.status === 409)).toBeLessThan(0.025);
    expect(share(decisions, (d) => d.reset)).toBeGreaterThan(0.04);
    expect(share(decisions, (d) => d.reset)).toBeLessThan(0.06);
    expect(decisions.every((d) => !(d.reset && d.status !== undefined))).toBe(true);
  });

  test('a status the operation does not document is never injected into it; it answers normally instead', () => {
    const chaos = new Chaos(twoOperations, { seed: 3, errors: { '409': 0.5, '404': 0.25 } });
    const get = draws(chaos, 'getDocument', 4_000);
    expect(new Set(get.map((d) => d.status))).toEqual(new Set([404, undefined]));
    expect(share(get, (d) => d.status === 404)).toBeCloseTo(0.25, 1);
    const del = draws(chaos, 'deleteDocument', 4_000);
    expect(new Set(del.map((d) => d.status))).toEqual(new Set([404, 409, undefined]));
  });

  test.each([
    {
      latency: { distribution: 'fixed', medianMs: 80 },
      check: (ms: number[]) => expect(new Set(ms)).toEqual(new Set([80])),
    },
    {
      latency: { distribution: 'uniform', minMs: 100, maxMs: 300 },
      check: (ms: number[]) => {
        expect(Math.min(...ms)).toBeGreaterThanOrEqual(100);
        expect(Math.max(...ms)).toBeLessThanOrEqual(300);
        expect(ms.reduce((a, b) => a + b) / ms.length).toBeGreaterThan(190);
        expect(ms.reduce((a, b) => a + b) / ms.length).toBeLessThan(210);
      },
    },
    {
      latency: { distribution: 'lognormal', medianMs: 80, maxMs: 200 },
      check: (ms: number[]) => {
        const sorted = [...ms].sort((a, b) => a - b);
        expect(sorted[ms.length / 2]).toBeGreaterThanOrEqual(76);
        expect(sorted[ms.length / 2]).toBeLessThanOrEqual(84);
        expect(sorted.at(-1)).toBe(200);
        expect(sorted[0]).toBeGreaterThanOrEqual(0);
      },
    },
    { latency: undefined, check: (ms: number[]) => expect(new Set(ms)).toEqual(new Set([0])) },
  ] as const)('latency $latency.distribution', ({ latency, check }) => {
    const chaos = new Chaos(tavus, { seed: 11, ...(latency ? { latency } : {}) });
    check(draws(chaos, 'deleteDocument', 4_000).map((d) => d.delayMs));
  });

  test("a request's own Prefer wins: code/example get no injected error or reset, delay replaces the latency", () => {
    const profile: ChaosProfile = {
      seed: 5,
      errors: { '404': 0.5 },
      resetProbability: 0.5,
      latency: { distribution: 'fixed', medianMs: 80 },
    };
    const plain = new Chaos(tavus, profile);
    const forced = new Chaos(tavus, profile);
    const delayed = new Chaos(tavus, profile);
    for (let i = 0; i < 200; i++) {
      const p = plain.decide('deleteDocument');
      expect(forced.decide('deleteDocument', { forced: true, delayMs: undefined })).toEqual({
        delayMs: 80,
        reset: false,
      });
      expect(delayed.decide('deleteDocument', { forced: false, delayMs: 5 })).toEqual({ ...p, delayMs: 5 });
    }
  });
});

describe('--chaos <file>', () => {
  const definitions = new Map(Object.values(variants).map((v) => [v.name, v.definition]));

  test('profiles by variant', () => {
    const json = {
      leadlex: { seed: 1, errors: { '429': 0.1 } },
      tavus: { latency: { distribution: 'fixed', medianMs: 10 } },
    };
    expect(chaosProfiles('chaos.json', json, definitions)).toEqual(new Map(Object.entries(json)));
  });

  test.each([
    {
      given: [],
      want:
        '[tombstone] chaos.json must hold an object of chaos profiles by variant, ' +
        'e.g. {"leadlex": {"errors": {"429": 0.1}}}',
    },
    {
      given: { acme: {} },
      want: "[tombstone] chaos.json: no variant 'acme' is served; served: leadlex, dify, tavus, velt, oneflow",
    },
    {
      given: { tavus: { errors: { '404': 2 } } },
      want: '[tombstone] chaos.json: tavus: profile errors.404 must be <= 1',
    },
    {
      given: { tavus: { jitter: 1 } },
      want: "[tombstone] chaos.json: tavus: profile must NOT have additional properties: 'jitter'",
    },
    {
      given: { tavus: { errors: { '500': 0.1 } } },
      want: /^\[tombstone\] chaos.json: chaos for tavus: 500 is not an error status/,
    },
  ])('$given is refused', ({ given, want }) => {
    const attempt = () => chaosProfiles('chaos.json', given, definitions);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(want);
  });
});
