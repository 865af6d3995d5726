/**
 * Scale: the same mock seeded with few and with many LeadLex documents (nothing else differs), for throughput,
 * p99 and memory; and Velt bulk deletes of growing size, for linearity.
 *
 * The load at both sizes is the LeadLex not-found delete: the full pipeline (auth, rate limit, an Idempotency-Key
 * record, the lookup in the workspace's documents) without using up documents, since a store of 1,000 documents
 * lasts a tenth of a second under deletes. Memory is heapUsed after full GCs (memory-probe.js), read from each
 * server before its load; per document = the difference / the difference in documents.
 */

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type LoadOptions,
  type LoadResult,
  type LoadSample,
  percentile,
  RateTracker,
  sample,
  sequential,
  summarize,
  unique,
} from './load.js';
import { BENCH, removeSeedDir, writeSeedDir } from './seeds.js';
import { ROOT, type Server, startServer, waitUntilServing } from './servers.js';
import { leadlexNotFound, veltBody, veltHeaders } from './workloads.js';

export interface ScaleResult {
  documents: number;
  startupMs: number;
  heapUsedBytes: number;
  notFound: LoadResult;
}

const MEMORY_PROBE = pathToFileURL(path.join(ROOT, 'bench', 'memory-probe.js')).href;

function heapUsed(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.child.once('message', (m: { heapUsed: number }) => resolve(m.heapUsed));
    server.child.send('heap');
  });
}

/**
 * One mock per size, all started (each seeded with `size` generated documents) and their heaps read first; then
 * a warm-up each and `slices` runs each, taken in turns, so that the sizes compare the same stretches of time.
 * `limit`: the bare server's rate, which sizes each mock's first request lists (RateTracker).
 */
export async function measureScale(
  sizes: number[],
  warmup: LoadOptions,
  slice: LoadOptions,
  slices: number,
  limit: RateTracker,
): Promise<ScaleResult[]> {
  const mocks: {
    documents: number;
    dir: string;
    server: Server;
    startupMs: number;
    heapUsedBytes: number;
    run: (o: LoadOptions) => Promise<LoadSample>;
  }[] = [];
  try {
    for (const documents of sizes) {
      const dir = await writeSeedDir({ leadlex: documents, dify: 0, velt: 0, oneflow: 0 });
      const server = await startServer('tombstone', {
        seedDir: dir,
        nodeFlags: ['--expose-gc', '--import', MEMORY_PROBE],
        ipc: true,
      });
      const startupMs = (await waitUntilServing(server, { method: 'GET', path: '/_mock/health' })) - server.spawnedAt;
      let i = 0;
      const next = () => leadlexNotFound.request('tombstone', i++);
      const tracker = new RateTracker(limit);
      const run = async (options: LoadOptions) =>
        tracker.answered(await sample(server.origin, unique(next, options, tracker.rate), 404, options));
      mocks.push({ documents, dir, server, startupMs, heapUsedBytes: await heapUsed(server), run });
    }
    for (const { run } of mocks) await run(warmup);
    const samples = mocks.map((): LoadSample[] => []);
    for (let s = 0; s < slices; s++) for (const [m, { run }] of mocks.entries()) samples[m]!.push(await run(slice));
    return mocks.map(({ documents, startupMs, heapUsedBytes }, m) => ({
      documents,
      startupMs,
      heapUsedBytes,
      notFound: summarize(samples[m]!),
    }));
  } finally {
    for (const { server, dir } of mocks) {
      await server.stop();
      await removeSeedDir(dir);
    }
  }
}

export interface LinearityRow {
  ids: number;
  requests: number;
  medianMs: number;
  microsPerId: number;
  errors: number;
}

/** Each size's requests delete documents that exist, `first` onwards in the linearity organization. */
export async function measureVeltLinearity(
  origin: string,
  plan: { ids: number; requests: number }[],
): Promise<LinearityRow[]> {
  const rows: LinearityRow[] = [];
  let first = 0;
  for (const { ids, requests } of plan) {
    const batch = Array.from({ length: requests }, (_, k) => ({
      method: 'POST' as const,
      path: '/velt/v2/organizations/documents/delete',
      headers: veltHeaders(),
      body: veltBody(first + k * ids, ids, BENCH.veltLinearOrganization),
    }));
    first += requests * ids;
    const { latencies, errors } = await sequential(origin, batch, 200);
    const medianMs = percentile(
      latencies.sort((a, b) => a - b),
      50,
    );
    rows.push({ ids, requests, medianMs, microsPerId: (medianMs * 1000) / ids, errors });
  }
  return rows;
}

/** Documents the linearity plan deletes. */
export const linearityDocuments = (plan: { ids: number; requests: number }[]) =>
  plan.reduce((n, p) => n + p.ids * p.requests, 0);
