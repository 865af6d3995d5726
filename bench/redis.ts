/**
 * The shared store under load: LeadLex deletes of existing documents against tombstone on Redis (one process, and
 * two workers on one port) beside tombstone in memory, the bare limit and Prism, each measured in RUNS slices taken
 * in turns, so that every server meets the same stretches of a shared machine's time. Each slice's rate is kept:
 * the table gives min / median / max. Skipped, in one line, without redis-server.
 */
import { RedisServer, redisServerPath } from '../test/support/redisServer.js';
import { generated, type LoadOptions, RateTracker, sample, unique } from './load.js';
import { removeSeedDir, writeSeedDir } from './seeds.js';
import { type Server, type ServerOptions, startServer, type TargetKind, waitUntilServing } from './servers.js';
import { leadlexDelete } from './workloads.js';

export const RUNS = 3;
/**
 * The most requests a second tombstone on Redis is given unique documents for: above what it answers on this
 * machine (a run that outpaced it would show as errors, repeats answered 404), and it bounds the seed it loads
 * (Redis takes about 10 s per 100,000 documents). The others get load.ts's MAX_RATE.
 */
const REDIS_MAX_RATE = 20_000;

export interface RedisRow {
  server: string;
  /** Requests a second in each run. */
  rates: number[];
  errors: number;
}

interface Target {
  name: string;
  kind: TargetKind;
  options?: ServerOptions;
}

/** Each target's runs, or undefined (and a line saying why) when redis-server is not installed. */
export async function measureRedis(warmup: LoadOptions, slice: LoadOptions): Promise<RedisRow[] | undefined> {
  if (!redisServerPath()) {
    console.log('\n[tombstone] Redis bench skipped: redis-server not found (apt-get install -y redis-server).');
    return undefined;
  }
  const redis = await RedisServer.start();
  const documents = (rate?: number) => generated(warmup, rate) + RUNS * generated(slice, rate);
  const seedDir = await writeSeedDir({ leadlex: documents(), dify: 0, velt: 0, oneflow: 0 });
  const redisSeedDir = await writeSeedDir({ leadlex: documents(REDIS_MAX_RATE), dify: 0, velt: 0, oneflow: 0 });
  const store = (prefix: string, workers: number) => ({
    seedDir: redisSeedDir,
    store: { url: redis.url, prefix, workers },
  });
  const targets: Target[] = [
    { name: 'bare', kind: 'bare' },
    { name: 'tombstone, memory', kind: 'tombstone', options: { seedDir } },
    { name: 'tombstone, Redis, 1 process', kind: 'tombstone', options: store('bench1:', 1) },
    { name: 'tombstone, Redis, 2 workers', kind: 'tombstone', options: store('bench2:', 2) },
    { name: 'Prism', kind: 'prism', options: { spec: 'leadlex' } },
  ];
  const servers: Server[] = [];
  try {
    for (const target of targets) {
      const server = await startServer(target.kind, target.options);
      servers.push(server);
      const probe =
        target.kind === 'tombstone' ? { method: 'GET', path: '/_mock/health' } : leadlexDelete.request(target.kind, 0);
      await waitUntilServing(server, probe, 180_000);
    }
    const limit = new RateTracker();
    const runs = targets.map((target, t) => {
      let i = 0;
      const tracker = target.kind === 'bare' ? limit : new RateTracker(limit);
      const next = () => leadlexDelete.request(target.kind, i++);
      return {
        row: { server: target.name, rates: [] as number[], errors: 0 },
        run: async (options: LoadOptions) => {
          const cap = target.options?.store ? REDIS_MAX_RATE : Number.POSITIVE_INFINITY;
          const rate = target.kind === 'prism' ? 6_000 : Math.min(cap, tracker.rate);
          const s = tracker.answered(
            await sample(servers[t]!.origin, unique(next, options, rate), leadlexDelete.expect(target.kind), options),
          );
          return {
            rate: s.latencies.length / s.seconds,
            errors: s.latencies.length - (s.statuses[s.expect] ?? 0) + s.failures,
          };
        },
      };
    });
    for (const { run } of runs) await run(warmup);
    for (let r = 0; r < RUNS; r++) {
      for (const { row, run } of runs) {
        const { rate, errors } = await run(slice);
        row.rates.push(rate);
        row.errors += errors;
        process.stdout.write('.');
      }
    }
    return runs.map((r) => r.row);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await redis.stop();
    await Promise.all([removeSeedDir(seedDir), removeSeedDir(redisSeedDir)]);
  }
}
