/**
 * Chaos profiles (MockServer's chaos, WireMock's faults and delay distributions): per variant, each request draws
 * from a seeded PRNG whether to answer with a documented error, to drop the connection, and how long to wait.
 * Pure: the pipeline asks `decide` and carries the decision out (openapi/mock-admin.yaml,
 * `PUT /_mock/chaos/{variant}`).
 * Runtime-agnostic: no Node built-ins.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { components } from '../../generated/mock-admin/types.js';
import { schemas } from '../../generated/mock-admin/validators.js';
import { UsageError } from '../errors.js';
import { operations } from '../openapi/model.js';
import type { ChaosDecision } from './journal.js';
import { MAX_DELAY_MS } from './prefer.js';
import { describeError } from './validation.js';

export type ChaosProfile = components['schemas']['ChaosProfile'];
type Latency = components['schemas']['ChaosLatency'];

/** lognormal's spread when the profile gives none: half the draws within about 0.7-1.4 × the median. */
export const DEFAULT_SIGMA = 0.5;

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state, a full period of 2^32 and good statistical quality
 * for test traffic; the same seed gives the same sequence on every platform. Returns numbers in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The 4xx and 5xx statuses each operation documents, by operationId; not 405, which answers a method the path
 * lacks (its `Allow` could only list the very method the request used).
 */
function errorStatuses(definition: OpenAPIV3.Document): Map<string, Set<number>> {
  return new Map(
    operations(definition).map((op) => [
      op.id,
      new Set(
        Object.keys(op.responses)
          .filter((key) => /^[45]\d\d$/.test(key) && key !== '405')
          .map(Number),
      ),
    ]),
  );
}

/**
 * What the profile's schema cannot say: each injected status is an error status some operation of the variant
 * documents, the probabilities add up to at most 1, and the latency has the bounds its distribution needs.
 * The problem as one line naming the allowed values, or undefined.
 */
export function profileProblem(
  variant: string,
  definition: OpenAPIV3.Document,
  profile: ChaosProfile,
): string | undefined {
  const documented = [...new Set([...errorStatuses(definition).values()].flatMap((set) => [...set]))].sort(
    (a, b) => a - b,
  );
  for (const key of Object.keys(profile.errors ?? {})) {
    if (!documented.includes(Number(key)) || !/^\d{3}$/.test(key)) {
      const allowed = documented.join(', ');
      return (
        `chaos for ${variant}: ${key} is not an error status any ${variant} operation documents; ` +
        `use one of ${allowed}`
      );
    }
  }
  const total = Object.values(profile.errors ?? {}).reduce((sum, p) => sum + p, profile.resetProbability ?? 0);
  if (total > 1 + 1e-9) {
    const sum = Number(total.toFixed(6));
    return `chaos for ${variant}: errors and resetProbability add up to ${sum}; make them add up to at most 1`;
  }
  return profile.latency && latencyProblem(variant, profile.latency);
}

function latencyProblem(variant: string, { distribution, medianMs, minMs = 0, maxMs }: Latency): string | undefined {
  const where = `chaos for ${variant}: latency.distribution '${distribution}'`;
  if (distribution !== 'uniform' && medianMs === undefined) return `${where} needs medianMs`;
  if (distribution === 'uniform' && maxMs === undefined) return `${where} needs maxMs (and minMs, default 0)`;
  if (maxMs !== undefined && minMs > maxMs)
    return `${where}: minMs ${minMs} is above maxMs ${maxMs}; make minMs <= maxMs`;
  if (distribution === 'lognormal' && (medianMs! < minMs || (maxMs !== undefined && medianMs! > maxMs))) {
    const range = `${minMs}..${maxMs}`;
    return `${where}: medianMs ${medianMs} lies outside minMs..maxMs (${range}); choose a median between them`;
  }
  return undefined;
}

/** A request's own `Prefer`, which wins over the profile. */
export interface RequestPreference {
  /** `Prefer: code=` or `example=`: answered as asked, nothing injected. */
  forced: boolean;
  /** `Prefer: delay=`: replaces the drawn latency. */
  delayMs: number | undefined;
}

/** A checked profile in force for one variant, with its PRNG. */
export class Chaos {
  /** The profile, its seed filled in, as `GET /_mock/chaos/{variant}` shows it. */
  readonly profile: ChaosProfile & { seed: number };
  private readonly random: () => number;
  /** Per operation, the statuses it may be answered with and the upper bound of each one's draw. */
  private readonly outcomes = new Map<string, { statuses: number[]; bounds: number[] }>();
  private readonly resetBelow: number;

  /** `profile` must have passed `profileProblem`. Without a seed, one is chosen (and shown in `profile`). */
  constructor(definition: OpenAPIV3.Document, profile: ChaosProfile, randomSeed: () => number = Math.random) {
    this.profile = { ...profile, seed: profile.seed ?? Math.floor(randomSeed() * 4294967296) };
    this.random = mulberry32(this.profile.seed);
    this.resetBelow = profile.resetProbability ?? 0;
    for (const [operationId, documented] of errorStatuses(definition)) {
      let bound = this.resetBelow;
      const statuses: number[] = [];
      const bounds: number[] = [];
      // Every status takes its share of the draw; one the operation does not document answers normally.
      for (const [key, probability] of Object.entries(profile.errors ?? {})) {
        bound += probability;
        statuses.push(documented.has(Number(key)) ? Number(key) : 0);
        bounds.push(bound);
      }
      this.outcomes.set(operationId, { statuses, bounds });
    }
  }

  /**
   * The decision for one request to `operationId`. Always three draws, whatever is decided, so the sequence of
   * decisions depends on the seed and the number of requests only.
   */
  decide(operationId: string, preference?: RequestPreference): ChaosDecision {
    const outcome = this.random();
    const delayMs = this.latency(this.random(), this.random());
    let reset = outcome < this.resetBelow;
    let status: number | undefined;
    const { statuses, bounds } = this.outcomes.get(operationId) ?? { statuses: [], bounds: [] };
    for (let i = 0; !reset && i < bounds.length; i++) {
      if (outcome < bounds[i]!) {
        status = statuses[i] || undefined;
        break;
      }
    }
    if (preference?.forced) {
      reset = false;
      status = undefined;
    }
    const decision: ChaosDecision = { delayMs: preference?.delayMs ?? delayMs, reset };
    if (status !== undefined) decision.status = status;
    return decision;
  }

  private latency(a: number, b: number): number {
    const latency = this.profile.latency;
    if (!latency) return 0;
    const { distribution, medianMs = 0, minMs = 0, maxMs = MAX_DELAY_MS } = latency;
    let ms: number;
    if (distribution === 'fixed') ms = medianMs;
    else if (distribution === 'uniform') ms = minMs + a * (maxMs - minMs);
    else {
      // Box-Muller: a standard normal draw from two uniform ones (1 - a keeps the logarithm finite).
      const normal = Math.sqrt(-2 * Math.log(1 - a)) * Math.cos(2 * Math.PI * b);
      ms = medianMs * Math.exp((latency.sigma ?? DEFAULT_SIGMA) * normal);
    }
    return Math.round(Math.min(Math.max(ms, minMs), maxMs, MAX_DELAY_MS));
  }
}

/**
 * The profiles of a `--chaos <file>`: `{"<variant>": <ChaosProfile>, ...}`, each checked as `PUT /_mock/chaos`
 * checks it. Throws a UsageError naming the variant and what to change.
 */
export function chaosProfiles(
  file: string,
  json: unknown,
  definitions: ReadonlyMap<string, OpenAPIV3.Document>,
): Map<string, ChaosProfile> {
  const served = [...definitions.keys()].join(', ');
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new UsageError(
      `${file} must hold an object of chaos profiles by variant, e.g. {"leadlex": {"errors": {"429": 0.1}}}`,
    );
  }
  const out = new Map<string, ChaosProfile>();
  for (const [variant, profile] of Object.entries(json)) {
    const definition = definitions.get(variant);
    if (!definition) throw new UsageError(`${file}: no variant '${variant}' is served; served: ${served}`);
    if (!schemas.ChaosProfile(profile)) {
      throw new UsageError(
        `${file}: ${variant}: ` +
          `${describeError('body', schemas.ChaosProfile.errors).replace(/^request body/, 'profile')}`,
      );
    }
    const problem = profileProblem(variant, definition, profile as ChaosProfile);
    if (problem) throw new UsageError(`${file}: ${problem}`);
    out.set(variant, profile as ChaosProfile);
  }
  return out;
}
