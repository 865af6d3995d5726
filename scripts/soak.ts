/**
 * `npm run soak`: a bounded soak of the mock (200,000 mixed requests by default, SOAK_REQUESTS to change), measuring
 * the server's heap after a full GC before and after. Everything that grows with traffic (idempotency records,
 * rate-limit windows, Velt's deleted-ID memory) is bounded, so the growth must stay under HEAP_GROWTH_BOUND.
 * Load goes to 127.0.0.1 only.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

const REQUESTS = Number(process.env['SOAK_REQUESTS'] ?? 200_000);
/** 10,000 idempotency records (the cap) of ~0.5 KiB each, plus as much again for V8's heap layout. */
const HEAP_GROWTH_BOUND = 16 * 1024 * 1024;

const child = fork('scripts/soak-server.ts', {
  execArgv: ['--expose-gc', '--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = <T>(message?: string) =>
  new Promise<T>((resolve) => {
    child.once('message', (m) => resolve(m as T));
    if (message) child.send(message);
  });
const { port } = await ask<{ port: number }>();
const heap = async () => (await ask<{ heapUsed: number }>('heap')).heapUsed;

const json = { 'content-type': 'application/json' };
/** The mix: mostly LeadLex deletes with fresh Idempotency-Keys (the fastest-growing state), then every variant. */
const mix: (() => autocannon.Request)[] = [
  () => ({
    method: 'DELETE',
    path: `/leadlex/functions/v1/api-gateway/v1/documents/doc_${randomUUID()}`,
    headers: { authorization: 'Bearer wbk_your_api_key_here', 'idempotency-key': randomUUID() },
  }),
  () => ({
    method: 'DELETE',
    path: `/leadlex/functions/v1/api-gateway/v1/documents/doc_01HY1`,
    headers: { authorization: 'Bearer wbk_your_api_key_here', 'idempotency-key': randomUUID() },
  }),
  () => ({
    method: 'DELETE',
    path: `/dify/v1/datasets/5f2d8c1e-3b4a-4c6d-8e9f-0a1b2c3d4e5f/documents/${randomUUID()}`,
    headers: { authorization: 'Bearer {API_KEY}' },
  }),
  () => ({ method: 'DELETE', path: `/tavus/v2/documents/d-${randomUUID()}`, headers: { 'x-api-key': '<api-key>' } }),
  () => ({
    method: 'POST',
    path: '/velt/v2/organizations/documents/delete',
    headers: { ...json, 'x-velt-api-key': '<x-velt-api-key>', 'x-velt-auth-token': '<x-velt-auth-token>' },
    body: JSON.stringify({ data: { organizationId: 'yourOrganizationId', documentIds: [randomUUID(), randomUUID()] } }),
  }),
  () => ({
    method: 'POST',
    path: '/oneflow/api/webhook/abc123xyz/document/delete',
    headers: { ...json, authorization: 'your-webhook-secret' },
    body: JSON.stringify({ docId: randomUUID() }),
  }),
  () => ({ method: 'GET', path: '/nope' }),
];
let next = 0;
const run = (amount: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 20,
    amount,
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, ...mix[next++ % mix.length]!() }) }],
  });

await run(5_000);
const before = await heap();
const started = Date.now();
const result = await run(REQUESTS);
const after = await heap();
child.disconnect();

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const errors = result.errors + result.timeouts + (result['5xx'] ?? 0);
console.log(
  `soak: ${result.requests.total} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (${Math.round(result.requests.average)} req/s), 5xx/errors/timeouts: ${result['5xx']}/${result.errors}/${result.timeouts}`,
);
console.log(
  `heap after GC: ${mib(before)} before, ${mib(after)} after: growth ${mib(after - before)} (bound ${mib(HEAP_GROWTH_BOUND)})`,
);
const ok = errors === 0 && after - before <= HEAP_GROWTH_BOUND;
console.log(ok ? 'soak: ok' : 'soak: FAILED');
process.exitCode = ok ? 0 : 1;
