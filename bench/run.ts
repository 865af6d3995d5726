/**
 * `npm run bench`: tombstone's compiled mock (dist/, built first) beside the limit, a bare node:http server that
 * answers 204, beside Prism's mock of the same spec and, on the LeadLex delete, beside the node:http floor
 * (floor-server.js). Each is a child process on an ephemeral loopback port, driven by autocannon from this process
 * (so on a 2-core machine the load generator and the server each get one core). Each workload gets a fresh
 * tombstone, seeded with the documents it deletes. Prints the tables and writes bench/results.json. Bounded at
 * three minutes (each phase prints its duration); never part of `npm test`. Figures on a shared machine are noisy:
 * compare ratios within one run, and run it more than once.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import {
  generated,
  type LoadOptions,
  type LoadResult,
  type LoadSample,
  RateTracker,
  sample,
  summarize,
  unique,
} from './load.js';
import { measureRedis, RUNS as REDIS_RUNS, type RedisRow } from './redis.js';
import {
  type LinearityRow,
  linearityDocuments,
  measureScale,
  measureVeltLinearity,
  type ScaleResult,
} from './scale.js';
import { removeSeedDir, type SeedSizes, writeSeedDir } from './seeds.js';
import { ROOT, type Server, startServer, type TargetKind, waitUntilServing } from './servers.js';
import { measureStartup, type StartupResult } from './startup.js';
import { leadlexDelete, veltBulkDelete, WORKLOADS, type Workload } from './workloads.js';

const CONNECTIONS = 50;
const WARMUP: LoadOptions = { connections: CONNECTIONS, seconds: 2 };
/**
 * The warm-up of a server already measured in this run (bare, the floor, Prism on a second workload of its spec): it
 * is warm, and needs only its new requests' code paths compiled.
 */
const REWARM_SECONDS = 0.5;
/**
 * Measured: SLICES runs of SLICE per server, taken in turns. Short slices, so that a slow stretch of a shared
 * machine falls on every server alike, and so that a slice's unique requests (encoded by autocannon before it
 * starts) take under a second to prepare.
 */
const SLICE: LoadOptions = { connections: CONNECTIONS, seconds: 1 };
const SLICES = 3;
/**
 * The workload the throughput targets are judged on gets more slices: its ratios are the ones that must hold, and
 * more alternation makes them less hostage to one slow stretch (1-s slices of one server vary by ±20% here).
 */
const TARGET_SLICES = 5;
/**
 * Requests a second generated for servers that answer repeats alike: Prism (several times the 700-2,400 it answers
 * here), and bare in its warm-ups, which nothing is compared with.
 */
const REPEATING_RATE = 6_000;
const STARTUP_SPAWNS: Partial<Record<TargetKind, number>> = { bare: 5, tombstone: 5, prism: 3 };
const SCALE_SIZES = [1_000, 1_000_000];
const LINEARITY = [
  { ids: 10, requests: 50 },
  { ids: 1_000, requests: 20 },
  { ids: 10_000, requests: 10 },
];

interface ThroughputRow extends LoadResult {
  workload: string;
  server: TargetKind;
}

const KINDS: TargetKind[] = ['bare', 'tombstone', 'prism'];
/** The servers measured on a workload: the floor too on the one the targets judge, to show where its time goes. */
const kindsOf = (workload: Workload): TargetKind[] =>
  workload === leadlexDelete ? ['bare', 'floor', 'tombstone', 'prism'] : KINDS;

/**
 * A workload's warm-up, slice and number of slices: timed, or for a fixed-amount workload a tenth (a request per
 * connection at least: autocannon's minimum) and a slices-th of its amount.
 */
function runOptions(workload: Workload): { warmup: LoadOptions; slice: LoadOptions; slices: number } {
  const { amount } = workload;
  const slices = workload === leadlexDelete ? TARGET_SLICES : SLICES;
  return amount
    ? {
        warmup: { ...SLICE, amount: Math.max(CONNECTIONS, Math.ceil(amount / 10)) },
        slice: { ...SLICE, amount: Math.ceil(amount / slices) },
        slices,
      }
    : { warmup: WARMUP, slice: SLICE, slices };
}

/**
 * The generated documents a workload's fresh tombstone is seeded with: as many as tombstone's warm-up and slices
 * generate requests for at the most (at MAX_RATE), so that every request deletes a document that exists.
 */
function seedSizes(workload: Workload): SeedSizes {
  const sizes: SeedSizes = { leadlex: 0, dify: 0, velt: 0, oneflow: 0 };
  const { consumes } = workload;
  const { warmup, slice, slices } = runOptions(workload);
  if (consumes) sizes[consumes.variant] = (generated(warmup) + slices * generated(slice)) * consumes.perRequest;
  return sizes;
}

/**
 * A warm-up per server, then the workload's slices per server taken in turns (bare, tombstone, Prism, bare, ...), so
 * that the ratios compare the same stretches of a shared machine's time. Each server has one ID sequence across
 * all its runs, so tombstone is never asked for a document twice. tombstone's lists follow its own rate
 * (RateTracker), and the slices of bare and the floor get lists as long, so that they are measured with the same
 * generator.
 */
async function measureWorkload(
  servers: Partial<Record<TargetKind, Server>>,
  workload: Workload,
  warm: Set<Server>,
  limit: RateTracker,
): Promise<ThroughputRow[]> {
  const { warmup, slice, slices } = runOptions(workload);
  // tombstone's first list is sized by the limit's best rate (bare warms up first), later ones by its own.
  const tombstone = new RateTracker(limit);
  const trackers: Partial<Record<TargetKind, RateTracker>> = { bare: limit, tombstone };
  const rate = (kind: TargetKind, warmingUp: boolean) =>
    kind === 'prism' || (kind !== 'tombstone' && warmingUp) ? REPEATING_RATE : tombstone.rate;
  const sources = kindsOf(workload).map((kind) => {
    let i = 0;
    const next = () => workload.request(kind, i++);
    const server = servers[kind]!;
    const run = async (options: LoadOptions, warmingUp = false) => {
      const answered = await sample(
        server.origin,
        unique(next, options, rate(kind, warmingUp)),
        workload.expect(kind),
        options,
      );
      return trackers[kind]?.answered(answered) ?? answered;
    };
    return { server, run, samples: [] as LoadSample[] };
  });
  for (const { server, run } of sources) {
    await run(warm.has(server) && !warmup.amount ? { ...warmup, seconds: REWARM_SECONDS } : warmup, true);
    warm.add(server);
  }
  for (let s = 0; s < slices; s++) {
    for (const { run, samples } of sources) {
      samples.push(await run(slice));
      process.stdout.write('.');
    }
  }
  return sources.map(({ server, samples }) => ({
    workload: workload.name,
    server: server.kind,
    ...summarize(samples),
  }));
}

/** Started and answering: tombstone its health check, the others `probe` (any request for bare). */
async function started(
  kind: TargetKind,
  options: Parameters<typeof startServer>[1],
  probe: Workload = leadlexDelete,
): Promise<Server> {
  const server = await startServer(kind, options);
  await waitUntilServing(
    server,
    kind === 'tombstone' ? { method: 'GET', path: '/_mock/health' } : probe.request(kind, 0),
  );
  return server;
}

/**
 * Each workload against a fresh tombstone seeded for it, so that no workload runs on a heap that earlier ones
 * grew (seed size on its own is what the scale runs measure); one bare server; Prism per spec.
 */
async function throughput(limit: RateTracker): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  const [bare, floor] = [await started('bare', {}), await started('floor', {})];
  const warm = new Set<Server>();
  let prism: { spec: string; server: Server } | undefined;
  try {
    for (const workload of WORKLOADS) {
      if (prism?.spec !== workload.spec) {
        await prism?.server.stop();
        const probe = WORKLOADS.find((w) => w.spec === workload.spec && w.consumes)!;
        prism = { spec: workload.spec, server: await started('prism', { spec: workload.spec }, probe) };
      }
      const seedDir = await writeSeedDir(seedSizes(workload));
      const tombstone = await started('tombstone', { seedDir });
      try {
        rows.push(...(await measureWorkload({ bare, floor, tombstone, prism: prism.server }, workload, warm, limit)));
      } finally {
        await tombstone.stop();
        await removeSeedDir(seedDir);
      }
    }
  } finally {
    await Promise.all([bare.stop(), floor.stop(), prism?.server.stop()]);
  }
  return rows;
}

/** Velt bulk deletes of growing size, one at a time, on a tombstone seeded with just enough documents. */
async function linearity(): Promise<LinearityRow[]> {
  const seedDir = await writeSeedDir({
    leadlex: 0,
    dify: 0,
    velt: 0,
    oneflow: 0,
    veltLinear: linearityDocuments(LINEARITY),
  });
  const tombstone = await started('tombstone', { seedDir });
  try {
    return await measureVeltLinearity(tombstone.origin, LINEARITY);
  } finally {
    await tombstone.stop();
    await removeSeedDir(seedDir);
  }
}

// ---- output

const n0 = (x: number) => Math.round(x).toLocaleString('en');
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const ratio = (a: number, b: number) => (a / b).toFixed(2);

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The shared store's targets, on the medians of its runs. */
function redisTargets(rate: (server: string) => number): { name: string; measured: string; met: boolean }[] {
  const [one, two, prism] = [rate('tombstone, Redis, 1 process'), rate('tombstone, Redis, 2 workers'), rate('Prism')];
  return [
    {
      name: 'leadlex DELETE on Redis, 1 process ≥ 5 × Prism (medians)',
      measured: ratio(one, prism),
      met: one >= 5 * prism,
    },
    { name: 'Redis: 2 workers ≥ 1.3 × 1 process (medians)', measured: ratio(two, one), met: two >= 1.3 * one },
  ];
}

function report(results: {
  startup: StartupResult[];
  throughput: ThroughputRow[];
  scale: ScaleResult[];
  bytesPerDocument: number;
  linearity: LinearityRow[];
  redis: RedisRow[] | undefined;
}): { targets: { name: string; measured: string; met: boolean }[] } {
  const { startup, throughput: rows, scale, bytesPerDocument, linearity, redis } = results;
  console.log(
    `\nThroughput: ${CONNECTIONS} connections, ${WARMUP.seconds} s warm-up (${REWARM_SECONDS} s for a server already measured) + ${SLICES} × ${SLICE.seconds} s taken in turns (${leadlexDelete.name}: ${TARGET_SLICES} × ${SLICE.seconds} s; velt: a fixed number of requests), loopback`,
  );
  const get = (w: string, s: string) => rows.find((r) => r.workload === w && r.server === s)!;
  const body: (string | number)[][] = [];
  for (const w of WORKLOADS) {
    const [b, t, p] = [get(w.name, 'bare'), get(w.name, 'tombstone'), get(w.name, 'prism')];
    body.push([
      w.name,
      n0(b.reqPerSec),
      n0(t.reqPerSec),
      n0(p.reqPerSec),
      ratio(t.reqPerSec, b.reqPerSec),
      ratio(t.reqPerSec, p.reqPerSec),
      `${ms(t.p50)} / ${ms(t.p99)}`,
      `${ms(p.p50)} / ${ms(p.p99)}`,
      `${b.errors}/${t.errors}/${p.errors}`,
    ]);
  }
  console.log(
    table(
      [
        'workload',
        'bare req/s',
        'tombstone req/s',
        'Prism req/s',
        'tomb/bare',
        'tomb/Prism',
        'tombstone p50/p99 ms',
        'Prism p50/p99 ms',
        'errors b/t/P',
      ],
      body,
    ),
  );
  for (const r of rows.filter((r) => r.errors > 0))
    console.log(`! ${r.workload} on ${r.server}: ${r.errors} errors; statuses ${JSON.stringify(r.statuses)}`);
  const [bare, floor, tomb, prism] = (['bare', 'floor', 'tombstone', 'prism'] as const).map(
    (k) => get(leadlexDelete.name, k).reqPerSec,
  );
  console.log(
    `${leadlexDelete.name}: the node:http floor (bench/floor-server.js: reads the request headers, writes tombstone's response headers) answered ${n0(floor!)} req/s = ${ratio(floor!, bare!)} × bare = ${ratio(floor!, prism!)} × Prism; tombstone = ${ratio(tomb!, floor!)} × the floor`,
  );

  console.log('\nStart-up: spawn to the first successful LeadLex delete (ms)');
  const [bareStart, tombStart, prismStart] = [startup[0]!, startup[1]!, startup[2]!];
  console.log(
    table(
      ['server', 'spawns', 'min', 'median', 'max'],
      startup.map((s) => [
        s.kind === 'prism' ? 'prism (one spec)' : s.kind === 'tombstone' ? 'tombstone (5 variants)' : s.kind,
        s.samples.length,
        n0(s.min),
        n0(s.median),
        n0(s.max),
      ]),
    ),
  );

  console.log('\nScale: LeadLex not-found deletes against a mock seeded with N LeadLex documents');
  console.log(
    table(
      ['documents', 'start-up ms', 'heapUsed MB', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
      scale.map((s) => [
        n0(s.documents),
        n0(s.startupMs),
        (s.heapUsedBytes / 2 ** 20).toFixed(1),
        n0(s.notFound.reqPerSec),
        ms(s.notFound.p50),
        ms(s.notFound.p99),
        s.notFound.errors,
      ]),
    ),
  );
  console.log(
    `Memory per seeded document: ${n0(bytesPerDocument)} bytes (heapUsed after full GC, difference / difference in documents).`,
  );

  console.log('\nVelt bulk delete, one request at a time on one connection');
  console.log(
    table(
      ['IDs', 'requests', 'median ms', 'µs per ID', 'errors'],
      linearity.map((l) => [n0(l.ids), l.requests, ms(l.medianMs), l.microsPerId.toFixed(2), l.errors]),
    ),
  );

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const redisRate = (server: string) => median(redis?.find((r) => r.server === server)?.rates ?? [NaN]);
  if (redis) {
    const runs = `${REDIS_RUNS} × ${SLICE.seconds} s per server taken in turns`;
    console.log(`\nShared store: ${leadlexDelete.name}, ${runs} (req/s)`);
    const [bareMedian, prismMedian] = [redisRate('bare'), redisRate('Prism')];
    console.log(
      table(
        ['server', 'min', 'median', 'max', '× bare', '× Prism', 'errors'],
        redis.map((r) => [
          r.server,
          n0(Math.min(...r.rates)),
          n0(median(r.rates)),
          n0(Math.max(...r.rates)),
          ratio(median(r.rates), bareMedian),
          ratio(median(r.rates), prismMedian),
          r.errors,
        ]),
      ),
    );
  }
  const lead = (k: TargetKind) => get(leadlexDelete.name, k).reqPerSec;
  const velt = (k: TargetKind) => get(veltBulkDelete.name, k).reqPerSec;
  const [small, large] = [scale[0]!, scale.at(-1)!];
  const perId = (ids: number) => linearity.find((l) => l.ids === ids)!.microsPerId;
  const targets = [
    {
      name: 'leadlex DELETE ≥ 0.5 × bare',
      measured: ratio(lead('tombstone'), lead('bare')),
      met: lead('tombstone') >= 0.5 * lead('bare'),
    },
    {
      name: 'leadlex DELETE ≥ 15 × Prism',
      measured: ratio(lead('tombstone'), lead('prism')),
      met: lead('tombstone') >= 15 * lead('prism'),
    },
    // Prism answers a fixed example; tombstone deletes 1,000 documents and reports each.
    {
      name: 'velt bulk delete (1,000 IDs) ≥ 2 × Prism',
      measured: ratio(velt('tombstone'), velt('prism')),
      met: velt('tombstone') >= 2 * velt('prism'),
    },
    {
      name: 'start-up ≤ 2 × bare (medians)',
      measured: ratio(tombStart.median, bareStart.median),
      met: tombStart.median <= 2 * bareStart.median,
    },
    {
      name: `p99 at ${n0(large.documents)} docs within 10% of ${n0(small.documents)}`,
      measured: ratio(large.notFound.p99, small.notFound.p99),
      met: large.notFound.p99 <= 1.1 * small.notFound.p99,
    },
    { name: '≤ 1 KiB per seeded document', measured: `${n0(bytesPerDocument)} B`, met: bytesPerDocument <= 1024 },
    // 10 IDs are mostly fixed per-request cost; linear means the cost per ID stays put from 1,000 to 10,000.
    {
      name: 'velt bulk delete linear (µs/ID at 10,000 ≤ 1.5 × at 1,000)',
      measured: ratio(perId(10_000), perId(1_000)),
      met: perId(10_000) <= 1.5 * perId(1_000),
    },
    ...(redis ? redisTargets(redisRate) : []),
  ];
  console.log(`\nTargets (Prism start-up for reference: median ${n0(prismStart.median)} ms)`);
  console.log(
    table(
      ['target', 'measured', 'met'],
      targets.map((t) => [t.name, t.measured, t.met ? 'yes' : 'NO']),
    ),
  );
  return { targets };
}

// ---- the run

const began = performance.now();
console.log(
  `tombstone bench: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
);
/** Runs one part of the bench, saying how long it took, so that the bound on the whole run stays visible. */
async function phase<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  process.stdout.write(`${label} `);
  const result = await run();
  console.log(` ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return result;
}

const startup: StartupResult[] = await phase('Start-up ...', () => measureStartup(STARTUP_SPAWNS));

/** The bare server's best rate: tombstone does not outrun it, so it sizes tombstone's first request lists. */
const limit = new RateTracker();
const rows = await phase(
  `Throughput (${WORKLOADS.length} workloads × ${KINDS.length} servers, and the floor on the first; a fresh tombstone per workload, seeded with up to ${n0(Math.max(...WORKLOADS.map((w) => Object.values(seedSizes(w)).reduce((a, b) => a + b, 0))))} generated documents)`,
  () => throughput(limit),
);
const velt = await phase('Velt linearity ...', linearity);
const redis = await phase('Shared store (Redis) ...', () => measureRedis(WARMUP, SLICE));

const scale: ScaleResult[] = await phase(`Scale (${SCALE_SIZES.map(n0).join(' vs ')} LeadLex documents) ...`, () =>
  measureScale(SCALE_SIZES, WARMUP, SLICE, SLICES, limit),
);
const [small, large] = [scale[0]!, scale.at(-1)!];
const bytesPerDocument = (large.heapUsedBytes - small.heapUsedBytes) / (large.documents - small.documents);

const results = { startup, throughput: rows, scale, bytesPerDocument, linearity: velt, redis };
const { targets } = report(results);
const file = path.join(ROOT, 'bench', 'results.json');
const settings = {
  connections: CONNECTIONS,
  warmupSeconds: WARMUP.seconds,
  slices: SLICES,
  targetSlices: TARGET_SLICES,
  sliceSeconds: SLICE.seconds,
  seedSizes: Object.fromEntries(WORKLOADS.map((w) => [w.name, seedSizes(w)])),
};
const machine = { cpus: availableParallelism(), model: cpus()[0]?.model, node: process.version };
await writeFile(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), machine, settings, ...results, targets }, null, 2)}\n`,
);
console.log(
  `\nWrote ${path.relative(process.cwd(), file)} (${((performance.now() - began) / 1000).toFixed(0)} s in all).`,
);
