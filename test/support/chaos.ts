/** Chaos profiles for the suites that run with chaos on (test/fuzz.test.ts, test/contract.test.ts). */
import type { ChaosProfile } from '../../src/mock/chaos.js';
import { operations } from '../../src/openapi/model.js';
import { variants } from '../../src/variants/registry.js';

/**
 * A profile for every variant that injects each error status the variant documents, `errors` in all, and drops
 * `resets` of the connections.
 */
export function chaosEverywhere(seed: number, errors: number, resets = 0): Map<string, ChaosProfile> {
  return new Map(
    Object.values(variants).map((variant) => {
      const documented = operations(variant.definition).flatMap((op) => Object.keys(op.responses));
      const statuses = [...new Set(documented.filter((status) => /^[45]\d\d$/.test(status) && status !== '405'))];
      const each = Object.fromEntries(statuses.map((status) => [status, errors / statuses.length]));
      return [variant.name, { seed, errors: each, resetProbability: resets }];
    }),
  );
}
