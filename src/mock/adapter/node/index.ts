/** Building a seeded MockApp: what `tombstone serve`, the tests and any embedding share. */
import { MockApp } from '../../app.js';
import type { MockClock } from '../../clock.js';
import { UsageError } from '../../../errors.js';
import { loadSeed } from './seeds.js';
import { variants } from '../../../variants/registry.js';

export interface CreateMockOptions {
  /** Directory of <variant>.json seed files (default: mocks/ of the working directory). */
  seedDir?: string;
  /** Serve only this variant, at the root. */
  variant?: string;
  clock?: MockClock;
  /** Where the API reference served at /_mock/docs/ is built and kept (default docs/reference/). */
  docsDir?: string;
}

export async function createMock(options: CreateMockOptions = {}): Promise<MockApp> {
  const names = options.variant ? [options.variant] : Object.keys(variants);
  const served = await Promise.all(
    names.map(async (name) => {
      const module = variants[name];
      if (!module) throw new UsageError(`unknown variant '${name}'; choose one of ${Object.keys(variants).join(', ')}`);
      return { module, seed: await loadSeed(options.seedDir ?? 'mocks', module) };
    }),
  );
  return MockApp.create({ variants: served, atRoot: Boolean(options.variant), ...(options.clock ? { clock: options.clock } : {}), docsDir: options.docsDir });
}
