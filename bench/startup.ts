/**
 * Start-up: from spawn to the first successful answer to a real request, several spawns per server, with the demo
 * seeds (what `npm start` serves). tombstone loads all five variants before it listens, so its first answer means
 * all five are loaded; the probe is the same LeadLex delete for all three servers.
 */
import { percentile } from './load.js';
import { startServer, type TargetKind, waitUntilServing } from './servers.js';

export interface StartupResult {
  kind: TargetKind;
  /** Milliseconds, one per spawn. */
  samples: number[];
  min: number;
  median: number;
  max: number;
}

const probe = (kind: TargetKind) => ({
  method: 'DELETE',
  path: `${kind === 'prism' ? '' : '/leadlex/functions/v1/api-gateway'}/v1/documents/doc_01HY1`,
  headers: { authorization: 'Bearer wbk_your_api_key_here' },
});

/**
 * Spawns each server `spawns[kind]` times, taking turns (bare, tombstone, Prism, bare, ...), so that a slower
 * stretch of a shared machine slows them all alike instead of one of them.
 */
export async function measureStartup(spawns: Partial<Record<TargetKind, number>>): Promise<StartupResult[]> {
  const kinds = Object.keys(spawns) as TargetKind[];
  const samples = new Map<TargetKind, number[]>(kinds.map((k) => [k, []]));
  for (let round = 0; round < Math.max(...Object.values(spawns)); round++) {
    for (const kind of kinds.filter((k) => round < spawns[k]!)) {
      const server = await startServer(kind, { spec: 'leadlex' });
      try {
        samples.get(kind)!.push((await waitUntilServing(server, probe(kind))) - server.spawnedAt);
      } finally {
        await server.stop();
      }
    }
  }
  return kinds.map((kind) => {
    const sorted = [...samples.get(kind)!].sort((a, b) => a - b);
    return { kind, samples: samples.get(kind)!, min: sorted[0]!, median: percentile(sorted, 50), max: sorted.at(-1)! };
  });
}
