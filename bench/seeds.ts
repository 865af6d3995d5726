/**
 * Temporary seed directories: the demo seeds of mocks/ plus generated documents for the workloads to delete, so
 * every request of a run hits a document that exists (a benchmark of 404s when 204s were meant is worthless).
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './servers.js';

/** How many generated documents each variant gets. */
export interface SeedSizes {
  leadlex: number;
  dify: number;
  velt: number;
  /** Velt documents for the bulk-delete linearity runs, in their own organization. */
  veltLinear?: number;
  oneflow: number;
}

/** Credentials and containers of the generated documents. */
export const BENCH = {
  /** Its own workspace and key, so the demo key's 1,000,000/min limit never answers a long run with 429. */
  leadlexWorkspace: 'ws_bench',
  leadlexKey: 'wbk_bench_key',
  difyKey: '{API_KEY}',
  difyDataset: 'b0000000-0000-4000-8000-000000000000',
  veltApiKey: '<x-velt-api-key>',
  veltAuthToken: '<x-velt-auth-token>',
  veltOrganization: 'bench_org',
  veltLinearOrganization: 'bench_linear_org',
  oneflowWebhook: 'abc123xyz',
  oneflowSecret: 'your-webhook-secret',
} as const;

export const leadlexDocId = (i: number) => `doc_bench_${i}`;
export const veltDocId = (i: number) => `bench_doc_${i}`;
export const oneflowDocId = (i: number) => `bench_doc_${i}`;
/** A UUID (Dify's IDs are UUIDs) that encodes `i`; `kind` keeps documents, chunks and child chunks apart. */
export const difyId = (i: number, kind = 0) =>
  `${String(kind).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

const demo = async (name: string) => JSON.parse(await readFile(path.join(ROOT, 'mocks', `${name}.json`), 'utf8'));
const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

const written = new Set<string>();
// A million documents take about 100 MB: gone however the bench ends.
process.on('exit', () => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

/** Writes <variant>.json for all five variants into a new temporary directory and returns its path. */
export async function writeSeedDir(sizes: SeedSizes): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tombstone-bench-'));
  written.add(dir);

  const leadlex = await demo('leadlex');
  leadlex.workspaces.push({
    id: BENCH.leadlexWorkspace,
    keys: [
      {
        key: BENCH.leadlexKey,
        permissions: ['read:documents', 'write:documents', 'admin:documents'],
        rateLimit: { limit: 1_000_000_000, windowSeconds: 60 },
      },
    ],
    documents: range(sizes.leadlex, (i) => ({
      id: leadlexDocId(i),
      name: `Bench ${i}.pdf`,
      storageKey: `${BENCH.leadlexWorkspace}/${leadlexDocId(i)}.pdf`,
    })),
  });

  // Dify: each document has a chunk with a child chunk, so the delete cascades.
  const dify = await demo('dify');
  dify.accounts
    .find((a: { apiKeys: string[] }) => a.apiKeys.includes(BENCH.difyKey))
    .datasets.push({
      id: BENCH.difyDataset,
      name: 'Bench',
      documents: range(sizes.dify, (i) => ({
        id: difyId(i),
        name: `bench-${i}.md`,
        indexingStatus: 'completed',
        chunks: [
          {
            id: difyId(i, 1),
            content: 'Bench chunk',
            childChunks: [{ id: difyId(i, 2), content: 'Bench child chunk' }],
          },
        ],
      })),
    });

  const velt = await demo('velt');
  velt.apps
    .find((a: { apiKey: string }) => a.apiKey === BENCH.veltApiKey)
    .organizations.push(
      { id: BENCH.veltOrganization, documents: range(sizes.velt, (i) => ({ id: veltDocId(i), name: `Bench ${i}` })) },
      {
        id: BENCH.veltLinearOrganization,
        documents: range(sizes.veltLinear ?? 0, (i) => ({ id: veltDocId(i), name: `Bench ${i}` })),
      },
    );

  const oneflow = await demo('oneflow');
  const webhook = oneflow.webhooks.find((w: { id: string }) => w.id === BENCH.oneflowWebhook);
  webhook.documents = webhook.documents.concat(
    range(sizes.oneflow, (i) => ({ id: oneflowDocId(i), name: `Bench ${i}.pdf` })),
  );

  const seeds = { leadlex, dify, velt, oneflow, tavus: await demo('tavus') };
  await Promise.all(
    Object.entries(seeds).map(([name, seed]) => writeFile(path.join(dir, `${name}.json`), JSON.stringify(seed))),
  );
  return dir;
}

export async function removeSeedDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  written.delete(dir);
}
