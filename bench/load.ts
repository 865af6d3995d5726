/**
 * One load run with autocannon's programmatic API: a fixed number of connections for a fixed time (or a fixed
 * number of requests). Every request is unique (its own document, a new Idempotency-Key), and all of them are
 * generated and encoded before the clock starts: each connection gets its own list (autocannon's `requests`,
 * set per client), so the load generator does no per-request work and its ceiling stays well above the servers'.
 * A connection that runs out of requests starts its list again: harmless for a stateless server, while tombstone
 * would answer the repeats 404, counted as errors (its lists are sized so that it does not).
 * Statuses and latencies come from every response, so percentiles are exact (autocannon's own histogram has
 * whole milliseconds and skips non-2xx) and every answer without the expected status is an error.
 */
import { Agent, request as httpRequest } from 'node:http';
import autocannon from 'autocannon';
import type { BenchRequest } from './workloads.js';

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** Stop after this many requests instead (for workloads that use up many documents per request). */
  amount?: number;
}

export interface LoadResult {
  requests: number;
  reqPerSec: number;
  /** Milliseconds, over every response. */
  p50: number;
  p99: number;
  /** Responses with another status than expected, plus connection errors and timeouts. */
  errors: number;
  statuses: Record<string, number>;
}

/** Where a run's requests come from: `perConnection` requests from `next` for each connection. */
interface RequestSource {
  next: () => BenchRequest;
  perConnection: number;
}

/**
 * The most requests a second a timed run generates in advance: more than tombstone answers on a fast machine, with
 * room for connections that run ahead of the others. Once a server has answered, RateTracker asks for fewer.
 */
export const MAX_RATE = 60_000;

/**
 * Requests a second to generate for the next run against a server that must not see a request twice: twice the
 * best rate it has answered so far (so a connection that runs ahead of the others, or a faster next slice, still
 * has requests left; were a list to run out, tombstone's repeats would be 404s, counted as errors), and never less
 * than the best rate of `bound`, a server it does not outrun (the limit: a warm-up's rate can be half the next
 * slice's), at most MAX_RATE; MAX_RATE while neither has answered. autocannon encodes every generated request
 * before a run starts, about 25 µs each here, so generating MAX_RATE for a server answering 12,000 a second cost
 * over a minute of a 3-minute bench on a slow machine.
 */
export class RateTracker {
  /** The most requests a second answered in one run so far. */
  best = 0;

  constructor(private readonly bound?: RateTracker) {}

  /** Records a run's answers. */
  answered(run: LoadSample): LoadSample {
    this.best = Math.max(this.best, run.latencies.length / run.seconds);
    return run;
  }

  get rate(): number {
    const rate = Math.max(2 * this.best, this.bound?.best ?? 0);
    return rate > 0 ? Math.min(MAX_RATE, Math.ceil(rate)) : MAX_RATE;
  }
}

/**
 * Enough unique requests from `next` for a run with these options, at up to `maxRate` a second. The bare server
 * gets lists as long as tombstone's though it answers repeats alike: the load generator's cost per request depends
 * on how much it cycles through, and the limit must be measured with the same generator as the mock. Prism, about
 * twenty times slower, is given a lower rate, so its lists are not encoded for nothing.
 */
export function unique(next: () => BenchRequest, options: LoadOptions, maxRate = MAX_RATE): RequestSource {
  return { next, perConnection: generated(options, maxRate) / options.connections };
}

/** How many requests a run with these options generates: a list per connection, each rounded up. */
export function generated(options: LoadOptions, maxRate = MAX_RATE): number {
  return Math.ceil((options.amount ?? maxRate * options.seconds) / options.connections) * options.connections;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The raw outcome of one run, kept so that runs taken in turns can be summarized together. */
export interface LoadSample {
  latencies: number[];
  statuses: Record<string, number>;
  expect: number;
  /** Connection errors and timeouts. */
  failures: number;
  /** From the first request sent to the last answer. */
  seconds: number;
}

/** One or more samples of the same server and workload as one result: percentiles over every response. */
export function summarize(samples: LoadSample[]): LoadResult {
  const latencies = samples.flatMap((s) => s.latencies);
  const statuses: Record<string, number> = {};
  for (const s of samples)
    for (const [status, n] of Object.entries(s.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  const sorted = Float64Array.from(latencies).sort();
  const unexpected = samples.reduce((n, s) => n + s.latencies.length - (s.statuses[s.expect] ?? 0) + s.failures, 0);
  return {
    requests: latencies.length,
    reqPerSec: latencies.length / samples.reduce((t, s) => t + s.seconds, 0),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: unexpected,
    statuses,
  };
}

export async function sample(
  origin: string,
  source: RequestSource,
  expect: number,
  options: LoadOptions,
): Promise<LoadSample> {
  const lists = Array.from({ length: options.connections }, () =>
    Array.from({ length: source.perConnection }, () => source.next()),
  );
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let startedAt = 0;
  let lastAnswerAt = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    let connection = 0;
    const instance = autocannon(
      {
        url: origin,
        connections: options.connections,
        duration: options.seconds,
        ...(options.amount ? { amount: options.amount } : {}),
        // One placeholder: autocannon copies and encodes these for every connection before setupClient replaces them.
        requests: [lists[0]![0]!],
        setupClient: (client) => client.setRequests(lists[connection++]!),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    // Emitted once every connection has its encoded requests; autocannon's own duration includes that set-up.
    instance.on('start', () => (startedAt = performance.now()));
    instance.on('response', (_client, status: number, _bytes: number, ms: number) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      latencies.push(ms);
      lastAnswerAt = performance.now();
    });
  });
  // To the last answer, not to the callback: autocannon reports the end of a fixed-amount run on its next
  // one-second tick.
  return { latencies, statuses, expect, failures: result.errors, seconds: (lastAnswerAt - startedAt) / 1000 };
}

/**
 * The requests one after another on one keep-alive connection, each timed from send to the last byte of its
 * answer: the service time of a single request, with nothing queued behind it.
 */
export async function sequential(
  origin: string,
  requests: BenchRequest[],
  expect: number,
): Promise<{ latencies: number[]; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let errors = 0;
  try {
    for (const r of requests) {
      const started = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${origin}${r.path}`, { method: r.method, headers: r.headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject);
        req.setTimeout(30_000, () => req.destroy(new Error(`no answer to ${r.method} ${r.path} within 30 s`)));
        req.end(r.body);
      });
      latencies.push(performance.now() - started);
      if (status !== expect) errors++;
    }
  } finally {
    agent.destroy();
  }
  return { latencies, errors };
}
