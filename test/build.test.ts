/**
 * The compiled build (`npm run build`, scripts/build.ts), which `npm run bench` measures and which leaves parts of
 * openapi-backend out: it must serve exactly what the sources serve. The contract runner checks every variant of
 * a freshly built `tombstone serve` over HTTP, as it checks the sources' mock in contract-runner.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runContract } from '../src/contract/runner.js';
import { variantNames } from '../src/variants/registry.js';
import { expected, NOT_APPLICABLE, only, statuses } from './support/contract.js';
import { type ServeProcess, spawnServe } from './support/serve.js';

// Under node_modules/, so the build finds the packages it keeps external, as dist/ does.
const CACHE = path.resolve('node_modules/.cache');
let outdir: string;
let serve: ServeProcess;

beforeAll(async () => {
  await mkdir(CACHE, { recursive: true });
  outdir = await mkdtemp(path.join(CACHE, 'tombstone-build-'));
  await promisify(execFile)(process.execPath, [
    path.resolve('node_modules/tsx/dist/cli.mjs'),
    'scripts/build.ts',
    outdir,
  ]);
  serve = await spawnServe(['--port', '0'], process.env, path.join(outdir, 'tombstone.js'));
}, 60_000);

afterAll(async () => {
  serve?.kill('SIGKILL');
  await serve?.exited;
  await rm(outdir, { recursive: true, force: true });
});

const cases = variantNames.map((given) => ({ given, want: NOT_APPLICABLE[given] }));

test.each(cases)(
  'the build serves $given as the sources do: every contract check passes; not applicable: $want',
  async ({ given, want }) => {
    const report = await runContract({ variant: given, baseUrl: `${serve.origin}/${given}` });
    if (want) expect(statuses(report)).toEqual(expected(only(want, 'skipped')));
    expect(report.ok).toBe(true);
  },
);

test('the build carries none of the packages it leaves out of openapi-backend', async () => {
  const files = (await readdir(outdir, { recursive: true })).filter((f) => f.endsWith('.js'));
  const source = (await Promise.all(files.map((f) => readFile(path.join(outdir, f), 'utf8')))).join('\n');
  expect(source).toContain('is left out of tombstone');
  // scripts/build.ts's LEFT_OUT but ajv: the generated validators rightly bundle ajv's runtime helpers.
  const bundled = [
    'openapi-schema-validator',
    '@apidevtools/json-schema-ref-parser',
    'dereference-json-schema',
    'qs',
  ].filter((name) => source.includes(`node_modules/${name}/`));
  expect(bundled).toEqual([]);
});
