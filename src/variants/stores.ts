/** What the variants' in-memory stores share when they merge seed data. */
import { TombstoneError } from '../errors.js';
import type { VariantStore } from '../mock/types.js';

/** The store with the seed merged in; a seed that contradicts itself (a document twice, ...) is refused. */
export function seeded<Store extends Pick<VariantStore<never>, 'merge'>>(
  store: Store,
  seed: Parameters<Store['merge']>[0],
): Store {
  const conflict = store.merge(seed);
  if (conflict) throw new TombstoneError(`Failed to load the seed: ${conflict}. Fix the seed file.`);
  return store;
}

/** The first ID in `documents` that `existing` already has or that comes twice; undefined when there is none. */
export function duplicateId(
  documents: { id: string }[],
  existing: { has(id: string): boolean } | undefined,
): string | undefined {
  const ids = new Set<string>();
  for (const { id } of documents) {
    if (existing?.has(id) || ids.has(id)) return id;
    ids.add(id);
  }
  return undefined;
}

/** The map's entry for `key`, made by `make` and added when there is none. */
export function getOrCreate<Key, Value>(map: Map<Key, Value>, key: Key, make: () => Value): Value {
  const found = map.get(key);
  if (found !== undefined) return found;
  const made = make();
  map.set(key, made);
  return made;
}

/** Gives the owner the keys no one has yet, in its list and in the index from key to owner. */
export function addKeys<Owner extends { apiKeys: string[] }>(
  owner: Owner,
  keys: string[],
  index: Map<string, Owner>,
): void {
  for (const key of keys) {
    if (index.has(key)) continue;
    owner.apiKeys.push(key);
    index.set(key, owner);
  }
}
