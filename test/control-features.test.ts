/**
 * The journal's and chaos's control routes over real HTTP (openapi/mock-admin.yaml, tags Requests and Chaos): every
 * answer documented and valid, bad profiles refused with a 400 naming the allowed values.
 */
import { expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { specs } from '../src/specs.js';
import { observe, useMock } from './support/mock.js';

const mock = useMock();

async function call(operationId: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${mock().origin}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const observed = await observe(res);
  expect(checkResponse(specs['mock-admin']!, operationId, observed), `${method} ${path}`).toEqual([]);
  return { status: observed.status, body: observed.body ? (JSON.parse(observed.body) as unknown) : undefined };
}

const flaky = {
  seed: 1,
  errors: { '429': 0.1, '409': 0.02 },
  latency: { distribution: 'lognormal', medianMs: 80, maxMs: 2000 },
  resetProbability: 0.01,
};

test('a chaos profile is set, read, replaced and removed', async () => {
  expect(await call('getChaos', 'GET', '/_mock/chaos/leadlex')).toEqual({ status: 200, body: { variant: 'leadlex' } });
  expect(await call('putChaos', 'PUT', '/_mock/chaos/leadlex', flaky)).toEqual({
    status: 200,
    body: { variant: 'leadlex', profile: flaky },
  });
  expect(await call('getChaos', 'GET', '/_mock/chaos/leadlex')).toEqual({
    status: 200,
    body: { variant: 'leadlex', profile: flaky },
  });
  const unseeded = await call('putChaos', 'PUT', '/_mock/chaos/leadlex', { errors: { '429': 0.5 } });
  expect(unseeded.body).toEqual({ variant: 'leadlex', profile: { errors: { '429': 0.5 }, seed: expect.any(Number) } });
  expect(await call('deleteChaos', 'DELETE', '/_mock/chaos/leadlex')).toEqual({
    status: 200,
    body: { variant: 'leadlex' },
  });
  expect(await call('getChaos', 'GET', '/_mock/chaos/leadlex')).toEqual({ status: 200, body: { variant: 'leadlex' } });
});

test.each([
  {
    given: { errors: { '500': 0.1 } },
    want: 'chaos for tavus: 500 is not an error status any tavus operation documents; use one of 401, 404, 413',
  },
  {
    given: { errors: { '404': 0.9 }, resetProbability: 0.2 },
    want: 'chaos for tavus: errors and resetProbability add up to 1.1; make them add up to at most 1',
  },
  { given: { errors: { '404': 1.5 } }, want: 'request body errors.404 must be <= 1' },
  {
    given: { latency: { distribution: 'gaussian' } },
    want: 'request body latency.distribution must be equal to one of the allowed values',
  },
  { given: { seed: -1 }, want: 'request body seed must be >= 0' },
])('PUT /_mock/chaos/tavus $given → 400: $want', async ({ given, want }) => {
  expect(await call('putChaos', 'PUT', '/_mock/chaos/tavus', given)).toEqual({
    status: 400,
    body: { error: { code: 'invalid_request', message: want } },
  });
  expect(await call('getChaos', 'GET', '/_mock/chaos/tavus')).toEqual({ status: 200, body: { variant: 'tavus' } });
});

test.each([
  ['getChaos', 'GET'],
  ['putChaos', 'PUT'],
  ['deleteChaos', 'DELETE'],
])('%s of an unknown variant → 404 variant_not_found', async (operationId, method) => {
  const res = await call(operationId, method, '/_mock/chaos/acme', method === 'PUT' ? {} : undefined);
  expect(res).toEqual({
    status: 404,
    body: {
      error: { code: 'variant_not_found', message: "No variant 'acme'; served: leadlex, dify, tavus, velt, oneflow" },
    },
  });
});

test('the journal is listed and emptied', async () => {
  const listed = await call(
    'listRequests',
    'GET',
    '/_mock/requests?variant=tavus&status=404&limit=5&since=2026-01-01T00:00:00Z',
  );
  expect(listed).toEqual({ status: 200, body: { requests: expect.any(Array) } });
  expect(await call('clearRequests', 'DELETE', '/_mock/requests')).toEqual({
    status: 200,
    body: { cleared: expect.any(Number) },
  });
  expect(await call('listRequests', 'GET', '/_mock/requests')).toEqual({ status: 200, body: { requests: [] } });
});

test.each([
  ['?status=abc', "query parameter 'status' must be integer"],
  ['?limit=0', "query parameter 'limit' must be >= 1"],
  ['?since=yesterday', `query parameter 'since' must match format "date-time"`],
  ['?variant=acme', "query parameter 'variant' must be equal to one of the allowed values"],
])('GET /_mock/requests%s → 400: %s', async (query, want) => {
  expect(await call('listRequests', 'GET', `/_mock/requests${query}`)).toEqual({
    status: 400,
    body: { error: { code: 'invalid_request', message: want } },
  });
});
