/** Seed files are validated on load: a wrong file fails with a message naming the file and the field. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { TombstoneError } from '../src/errors.js';
import { loadSeed } from '../src/mock/adapter/node/seeds.js';
import type { AnyVariant } from '../src/mock/types.js';
import { type VariantName, variantNames, variants } from '../src/variants/registry.js';

describe('seed loading', () => {
  test.each(variantNames)('the default seed of %s loads', async (name) => {
    await expect(loadSeed('mocks', variants[name])).resolves.toBeTypeOf('object');
  });

  const cases: { name: string; variant: VariantName; given: string; want: RegExp }[] = [
    {
      name: 'a field of the wrong type',
      variant: 'tavus',
      given: '{"accounts":[{"id":"a","apiKeys":"k","documents":[]}]}',
      want: /tavus\.json: field accounts\.0\.apiKeys must be array/,
    },
    {
      name: 'an unknown field',
      variant: 'oneflow',
      given: '{"webhooks":[{"id":"w","documents":[],"secrett":"s"}]}',
      want: /oneflow\.json: field webhooks\.0 must NOT have additional properties 'secrett'/,
    },
    {
      name: 'a dify ID that is not a UUID',
      variant: 'dify',
      given: '{"accounts":[{"id":"a","apiKeys":[],"datasets":[{"id":"x","documents":[]}]}]}',
      want: /dify\.json: field accounts\.0\.datasets\.0\.id must match format "uuid"/,
    },
    { name: 'malformed JSON', variant: 'velt', given: '{"apps": [', want: /velt\.json: .*JSON.*Fix the JSON/ },
    {
      name: 'a duplicate document',
      variant: 'tavus',
      given: '{"accounts":[{"id":"a","apiKeys":[],"documents":[{"id":"d"},{"id":"d"}]}]}',
      want: /Document d already exists in a/,
    },
  ];
  test.each(cases)('$name fails naming the file and field', async ({ variant, given, want }) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tombstone-seed-'));
    await writeFile(path.join(dir, `${variant}.json`), given);
    const load = async () =>
      variants[variant].createStore((await loadSeed(dir, variants[variant])) as never, { now: () => 0 });
    await expect(load()).rejects.toThrow(want);
  });

  test('a missing file names the file and the way out', async () => {
    await expect(loadSeed('/nonexistent', variants.tavus)).rejects.toThrow(TombstoneError);
    await expect(loadSeed('/nonexistent', variants.tavus)).rejects.toThrow(
      /\/nonexistent\/tavus\.json: ENOENT\. Try --seed/,
    );
  });

  test('the state snapshot of a fresh store is its seed (GET state can be saved as a seed)', async () => {
    for (const variant of Object.values(variants) as AnyVariant[]) {
      const seed = JSON.parse(await readFile(`mocks/${variant.name}.json`, 'utf8'));
      const snapshot = variant.createStore(structuredClone(seed), { now: () => 0 }).snapshot();
      expect(variant.seedValidator(snapshot), variant.name).toBe(true);
      if (variant.name !== 'leadlex' && variant.name !== 'velt') expect(snapshot, variant.name).toEqual(seed);
    }
  });
});
