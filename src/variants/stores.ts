/** What the variants' in-memory stores share when they merge seed data. */

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
