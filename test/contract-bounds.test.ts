/**
 * The contract runner on exclusive bounds: the fixture specs of test/fixtures/exclusive-bounds/ say the same bounds
 * in OpenAPI 3.0's boolean form and in 3.1's numeric form, on a path parameter, a query parameter and body fields
 * (with a `multipleOf`). A small hand-written server enforces them: read right it passes every check on both specs;
 * reading each exclusive bound as inclusive it accepts the bounds themselves and fails negative_data_rejection;
 * reading an inclusive maximum as exclusive it refuses a valid value and fails positive_data_acceptance.
 */
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Spec } from '../src/conformance.js';
import { type ContractReport, runContract } from '../src/contract/runner.js';
import { type HttpServer, serveHttp } from './support/documents-server.js';
import { type GeneratedFixture, generateFixture } from './support/generated.js';

const ROOT = 'test/fixtures/exclusive-bounds';
const SPECS = ['bounds-30', 'bounds-31'] as const;

let fixture: GeneratedFixture;
const loaded: Record<string, Spec> = {};

beforeAll(async () => {
  fixture = await generateFixture(ROOT, 'tombstone-contract-bounds-');
  for (const name of SPECS) {
    const load = (file: string) => fixture.load(name, file);
    loaded[name] = {
      definition: (await load('definition.js')).default,
      validators: (await load('validators.js')).operations,
    };
  }
}, 60_000);

afterAll(() => fixture.remove());

/** How the server reads the spec's bounds: right, every exclusive bound as inclusive, or an inclusive maximum as exclusive. */
type Reading = 'right' | 'lax' | 'strict';

/** Whether `value` is within `bound` on one `side`, as a server reading the spec's bounds `reading` sees it. */
function within(value: number, side: 'lower' | 'upper', bound: number, exclusive: boolean, reading: Reading): boolean {
  const strictly = reading === 'lax' ? false : reading === 'strict' && side === 'upper' ? true : exclusive;
  if (side === 'lower') return strictly ? value > bound : value >= bound;
  return strictly ? value < bound : value <= bound;
}

function startThingsServer(reading: Reading): Promise<HttpServer> {
  const between = (value: number, [min, minExclusive]: [number, boolean], [max, maxExclusive]: [number, boolean]) =>
    within(value, 'lower', min, minExclusive, reading) && within(value, 'upper', max, maxExclusive, reading);
  return serveHttp((req, res) => {
    const send = (status: number, body: object) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const bad = (message: string) => send(400, { message });
    const url = new URL(req.url ?? '/', 'http://x');
    const thing = /^\/things\/([^/]+)$/.exec(url.pathname);
    if (thing && req.method === 'GET') {
      req.resume();
      const n = Number(thing[1]);
      if (!/^-?\d+$/.test(thing[1]!) || !within(n, 'lower', 0, true, reading))
        return bad('n must be an integer above 0');
      const limit = url.searchParams.get('limit');
      if (limit !== null) {
        const l = Number(limit);
        if (!/^-?\d+$/.test(limit) || !between(l, [1, false], [100, true]))
          return bad('limit must be an integer from 1 to 99');
      }
      return send(200, { price: 5 });
    }
    if (url.pathname === '/things' && req.method === 'POST') {
      return void text(req).then((raw) => {
        if (req.headers['content-type'] !== 'application/json') return bad('send application/json');
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          return bad('the body is not JSON');
        }
        const { price, quantity, ...rest } = (body ?? {}) as Record<string, unknown>;
        if (typeof body !== 'object' || Array.isArray(body) || Object.keys(rest).length > 0)
          return bad('send an object of price and quantity');
        if (typeof price !== 'number' || !between(price, [0, true], [10, true]))
          return bad('price must be a number above 0 and below 10');
        if (
          typeof quantity !== 'number' ||
          !Number.isInteger(quantity) ||
          quantity % 5 !== 0 ||
          !between(quantity, [0, true], [100, false])
        )
          return bad('quantity must be a multiple of 5 above 0, at most 100');
        return send(201, { price });
      });
    }
    req.resume();
    return send(404, { message: 'not found' });
  });
}

async function check(spec: (typeof SPECS)[number], reading: Reading): Promise<ContractReport> {
  const server = await startThingsServer(reading);
  try {
    return await runContract({
      variant: 'tavus',
      baseUrl: server.origin,
      basePath: '',
      spec: { spec: loaded[spec]!, file: `${ROOT}/openapi/${spec}.yaml` },
      stateless: true,
      // The fixture documents no 405: the method probe is not what this test is about.
      excludeChecks: ['unsupported_method'],
    });
  } finally {
    await server.close();
  }
}

/** `operationId check: rule` of each failure. */
function failures(report: ContractReport): string[] {
  return report.results.flatMap((r) =>
    r.failures.map((f) => `${r.operationId} ${r.check}: ${f.rule.slice(f.rule.lastIndexOf(': ') + 2)}`),
  );
}

/** The values the runner sent as valid (positive_data_acceptance), by title. */
function sentAsValid(report: ContractReport): string[] {
  return report.exchanges
    .filter((e) => e.title.startsWith('positive_data_acceptance: '))
    .map((e) => e.title.slice('positive_data_acceptance: '.length));
}

describe.each(SPECS)('%s', (spec) => {
  test('a server that reads the bounds right passes; the runner sent the values nearest each bound', async () => {
    const report = await check(spec, 'right');
    expect(failures(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(sentAsValid(report)).toEqual([
      'path parameter n: its least value 1',
      'query parameter limit: its least value 1',
      'query parameter limit: its greatest value 99',
      'body.price: its least value 1',
      'body.price: its greatest value 9',
      'body.quantity: its least value 5',
      'body.quantity: its greatest value 100',
    ]);
    // The probe, the first call of each operation, is valid: n=1 and a body within every bound.
    const probes = report.exchanges.filter((e) => e.title.startsWith('probe'));
    expect(
      probes.map((e) => [e.request.url.replace(/^http:\/\/[^/]+/, ''), e.request.body, e.response.status]),
    ).toEqual([
      ['/things/1', undefined, 200],
      ['/things', JSON.stringify({ price: 1, quantity: 5 }), 201],
    ]);
  });

  test('a server that takes each exclusive bound as inclusive fails negative_data_rejection at each of them', async () => {
    const report = await check(spec, 'lax');
    expect(failures(report)).toEqual([
      'getThing negative_data_rejection: exclusiveMinimum 0',
      'getThing negative_data_rejection: exclusiveMaximum 100',
      // It echoes the price 10 it took, which its Thing's exclusiveMaximum 10 forbids.
      'createThing response_schema_conformance: responses.201',
      'createThing negative_data_rejection: exclusiveMinimum 0',
      'createThing negative_data_rejection: exclusiveMaximum 10',
      'createThing negative_data_rejection: exclusiveMinimum 0',
    ]);
    expect(report.ok).toBe(false);
  });

  test('a server that takes an inclusive maximum as exclusive fails positive_data_acceptance there', async () => {
    const report = await check(spec, 'strict');
    expect(failures(report)).toEqual(['createThing positive_data_acceptance: body.quantity is valid by its schema']);
  });
});
