/**
 * Independent cross-checks with Stoplight Prism, which reads the same specs with its own validator:
 * - `prism mock openapi/<v>.yaml`: the runner's stateless checks pass against what Prism makes of the spec, and
 *   the stateful ones are skipped with the reason (Prism keeps no documents);
 * - `prism proxy --errors openapi/<v>.yaml <tombstone mock>` while the runner drives the mock through it: Prism
 *   finds nothing to flag, not one `sl-violations` header. `--validate-request false` lets the runner's
 *   deliberately invalid requests through, so Prism validates the mock's answers to those as well; otherwise it
 *   answers them itself and they never reach the mock. A broken upstream shows the cross-check can fail.
 * Where Prism cannot judge a check, the check is left out with the public option (`--exclude-checks`), and the
 * reason is kept here (PRISM_MOCK, PRISM_PROXY). Prism's own `sl-violations` header is allowed as `--allow-header`
 * would (the runner's negative requests are invalid on purpose).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHECKS, type ContractCheck, runContract } from '../src/contract/runner.js';
import { mockBasePath } from '../src/openapi/model.js';
import { specs } from '../src/specs.js';
import { type BrokenServer, startBrokenServer, withoutHeader } from './support/broken.js';
import { expected, NOT_APPLICABLE, only, statuses } from './support/contract.js';
import { type RunningMock, startMock } from './support/mock.js';
import { type RunningPrism, startPrism } from './support/prism.js';

const VARIANTS = ['leadlex', 'dify', 'tavus', 'velt', 'oneflow'];
const SETUP_TIMEOUT_MS = 120_000;

const PRISM_405 =
  "Prism answers a method the path lacks with its own 405 application/problem+json, without Allow: Prism's router, not the spec";
const PRISM_NOT_JSON =
  "Prism answers a body that is not JSON (or is truncated) with a 400 of its own shape, not the spec's Error";
/** Prism's limitations as a mock, by variant. */
const PRISM_MOCK: Record<string, Partial<Record<ContractCheck, string>>> = {
  leadlex: { unsupported_method: PRISM_405 },
  dify: { unsupported_method: PRISM_405 },
  tavus: {
    unsupported_method: PRISM_405,
    negative_data_rejection:
      'Prism answers invalid input with its own 422 application/problem+json when the spec documents neither 400 nor 422; Tavus answers 404',
  },
  velt: { unsupported_method: PRISM_405, negative_data_rejection: PRISM_NOT_JSON },
  oneflow: { unsupported_method: PRISM_405, negative_data_rejection: PRISM_NOT_JSON },
};
const PRISM_AUTH =
  'Prism answers a request without the credentials its security requires itself (401 application/problem+json): it never reaches the mock';
/** What Prism's proxy answers itself instead of forwarding, by variant. */
const PRISM_PROXY: Record<string, Partial<Record<ContractCheck, string>>> = {
  leadlex: { unsupported_method: PRISM_405, ignored_auth: PRISM_AUTH },
  dify: { unsupported_method: PRISM_405, ignored_auth: PRISM_AUTH },
  tavus: { unsupported_method: PRISM_405, ignored_auth: PRISM_AUTH },
  velt: {
    unsupported_method: PRISM_405,
    ignored_auth: PRISM_AUTH,
    missing_required_header: PRISM_AUTH,
    negative_data_rejection: PRISM_NOT_JSON,
  },
  oneflow: { unsupported_method: PRISM_405, negative_data_rejection: PRISM_NOT_JSON },
};
/** Prism's mock flags each request it finds invalid in this header; the runner's negative requests are, on purpose. */
const PRISM_DIAGNOSTICS = ['sl-violations'];

/** What the runner cannot check against a stateless mock, by variant (1Flow: whether a webhook needs its secret). */
const STATEFUL: Record<string, ContractCheck[]> = {
  leadlex: ['use_after_free', 'idempotency', 'object_level_authorization'],
  dify: ['use_after_free', 'object_level_authorization', 'unknown_parent_resource'],
  tavus: ['use_after_free', 'object_level_authorization'],
  velt: ['use_after_free', 'object_level_authorization', 'unknown_parent_resource', 'per_item_results'],
  oneflow: ['use_after_free', 'ignored_auth', 'object_level_authorization', 'unknown_parent_resource'],
};

/** The checks that run when `excluded` are left out. */
const running = (excluded: ContractCheck[]) => CHECKS.filter((c) => !excluded.includes(c));

let mock: RunningMock;
let broken: BrokenServer;
const mocks = new Map<string, RunningPrism>();
const proxies = new Map<string, RunningPrism>();
let brokenProxy: RunningPrism;

/** Where the variant's spec paths start on a tombstone server at `origin`: the mount plus the spec's base path. */
const upstream = (origin: string, variant: string) => `${origin}/${variant}${mockBasePath(specs[variant]!.definition)}`;
const proxyArgs = (variant: string, origin: string) => [
  'proxy',
  '--errors',
  '--validate-request',
  'false',
  `openapi/${variant}.yaml`,
  upstream(origin, variant),
];

beforeAll(async () => {
  mock = await startMock();
  broken = await startBrokenServer(async (req, next) => withoutHeader(await next(req), 'X-Request-ID'));
  // Prism takes a second or two of CPU to start: all at once, they overlap their waiting.
  await Promise.all([
    ...VARIANTS.map(async (v) => mocks.set(v, await startPrism(['mock', `openapi/${v}.yaml`]))),
    ...VARIANTS.map(async (v) => proxies.set(v, await startPrism(proxyArgs(v, mock.origin)))),
    (async () => (brokenProxy = await startPrism(proxyArgs('leadlex', broken.origin))))(),
  ]);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(
    [...mocks.values(), ...proxies.values(), ...(brokenProxy ? [brokenProxy] : [])].map((p) => p.stop()),
  );
  await Promise.all([mock?.close(), broken?.close()]);
});

describe('prism mock: the stateless checks pass, the stateful ones are skipped with the reason', () => {
  const credentials = {
    apiKey: 'prism-accepts-any-key',
    authToken: 'prism-accepts-any-token',
    secret: 'prism-accepts-any-secret',
  };
  const cases = VARIANTS.map((given) => ({ given }));
  test.each(cases)('$given', async ({ given }) => {
    // Prism serves the spec's paths at its root: no base path.
    const excludeChecks = Object.keys(PRISM_MOCK[given]!) as ContractCheck[];
    const report = await runContract({
      variant: given,
      baseUrl: mocks.get(given)!.origin,
      basePath: '',
      stateless: true,
      credentials,
      allowHeaders: PRISM_DIAGNOSTICS,
      excludeChecks,
    });
    expect(statuses(report)).toEqual(
      expected(only([...NOT_APPLICABLE[given]!, ...STATEFUL[given]!], 'skipped'), running(excludeChecks)),
    );
    for (const check of STATEFUL[given]!)
      expect(report.results.find((r) => r.check === check)?.reason).toMatch(/stateless/);
  });
});

describe('prism proxy --errors in front of the mock while the runner drives it: no sl-violations', () => {
  const cases = VARIANTS.map((given) => ({ given }));
  test.each(cases)('$given', async ({ given }) => {
    const excludeChecks = Object.keys(PRISM_PROXY[given]!) as ContractCheck[];
    const report = await runContract({
      variant: given,
      baseUrl: proxies.get(given)!.origin,
      basePath: '',
      controlUrl: mock.origin,
      excludeChecks,
    });
    const flagged = report.exchanges.filter((e) => e.response.headers['sl-violations'] !== undefined);
    expect(flagged.map((e) => `${e.title}: ${e.response.headers['sl-violations']}`)).toEqual([]);
    expect(statuses(report)).toEqual(expected(only(NOT_APPLICABLE[given]!, 'skipped'), running(excludeChecks)));
  });

  test('the cross-check can fail: in front of a server that drops X-Request-ID, Prism flags it', async () => {
    const excludeChecks = Object.keys(PRISM_PROXY['leadlex']!) as ContractCheck[];
    const report = await runContract({
      variant: 'leadlex',
      baseUrl: brokenProxy.origin,
      basePath: '',
      controlUrl: broken.origin,
      excludeChecks,
    });
    const flagged = report.exchanges.map((e) => e.response.headers['sl-violations']).filter((v) => v !== undefined);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.every((v) => v.includes("must have required property 'x-request-id'"))).toBe(true);
    expect(statuses(report)['not_a_server_error']).toBe('failed');
  });
});
