/**
 * Start-up: from spawn to the first successful answer to a real request, several spawns per server, with the demo
 * seeds (what `npm start` serves). tombstone loads all five variants before it listens, so its first answer means
 * all five are loaded; the probe is the same LeadLex delete for all three servers.
 */
import { percentile } from './load.js';
import { startServer, waitUntilServing, type TargetKind } from './servers.js';

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

export async function measureStartup(kind: TargetKind, spawns: number): Promise<StartupResult> {
  const samples: number[] = [];
  for (let i = 0; i < spawns; i++) {
    const server = await startServer(kind, { spec: 'leadlex' });
    try {
      samples.push((await waitUntilServing(server, probe(kind))) - server.spawnedAt);
    } finally {
      await server.stop();
    }
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { kind, samples, min: sorted[0]!, median: percentile(sorted, 50), max: sorted.at(-1)! };
}
