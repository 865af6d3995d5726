/**
 * Seed files: mocks/<variant>.json, validated on load against the variant's seed schema
 * (openapi/mock-admin.yaml). A wrong file fails with a message naming the file and the field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TombstoneError } from '../../../errors.js';
import { seedProblem } from '../../seed.js';
import type { AnyVariant } from '../../types.js';

export async function loadSeed(dir: string, variant: AnyVariant): Promise<unknown> {
  const file = path.join(dir, `${variant.name}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TombstoneError(
      `Failed to load seed ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Try --seed <dir> with a ${variant.name}.json in it.`,
    );
  }
  let seed: unknown;
  try {
    seed = JSON.parse(text);
  } catch (err) {
    throw new TombstoneError(`Failed to load seed ${file}: ${(err as Error).message}. Fix the JSON.`);
  }
  const problem = seedProblem(variant, seed);
  if (problem) throw new TombstoneError(`Failed to load seed ${file}: ${problem}`);
  return seed;
}
