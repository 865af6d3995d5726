/**
 * tombstone installed, not cloned: `npm pack`, the tarball installed into an empty project (test/support/package.ts),
 * then each audience's first steps from that project, through the package's bin and `exports` only:
 * - the CLI: `--version`, `help`, one command's `--help`, a usage error, a missing designer tool;
 * - `serve` from the empty project: five variants, a delete twice, the API reference, the user's own `--seed`;
 * - `contract` against that server, for every variant (exit 0);
 * - plain Node ESM scripts: msw/node's setupServer with `tombstone/msw`; `tombstone`'s createMock and
 *   createHttpServer checked by `tombstone/contract`'s runContract;
 * - a typed client (openapi-fetch + `tombstone/types/tavus`) and the library's entry points under `tsc --noEmit`
 *   with moduleResolution bundler and nodenext, skipLibCheck off; a wrong path, parameter or variant fails to compile;
 * - a page importing `tombstone/msw` and msw/browser, bundled by esbuild for the browser and run in Chromium with
 *   msw's service worker (test/support/mswPage.ts).
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runMswPage } from './support/mswPage.js';
import { installInto, type Packed, pack, run, VERSION } from './support/package.js';
import { type ServeProcess, spawnServe } from './support/serve.js';

const COMMANDS = ['serve', 'generate', 'check', 'docs', 'diff', 'contract', 'proxy'];
const VARIANTS = ['leadlex', 'dify', 'tavus', 'velt', 'oneflow'];
const TAVUS_DOC = 'd8-5c71baca86fc';

let tarball: Packed;
let project: string;
/** What `npm install` printed. */
let npmOutput: string;

beforeAll(async () => {
  const started = Date.now();
  tarball = await pack(await mkdtemp(path.join(tmpdir(), 'tombstone-pack-')));
  const packed = Date.now();
  ({ project, npmOutput } = await installInto(tarball.file));
  console.log(
    `tarball ${path.basename(tarball.file)}: ${tarball.size} bytes, ${tarball.files.length} files; ` +
      `pack ${packed - started} ms, install ${Date.now() - packed} ms`,
  );
}, 180_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
  if (tarball) await rm(path.dirname(tarball.file), { recursive: true, force: true });
});

const npx = (args: string[]) => run('npx', ['--no-install', 'tombstone', ...args], project);

describe('the tarball', () => {
  test('ships compiled JavaScript, declarations, the specs and seeds; no TypeScript source, tests or tooling', () => {
    const source = tarball.files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
    const tooling = tarball.files.filter((f) => /^(test|bench|scripts|examples|bin|\.ci)\//.test(f));
    expect({ source, tooling }).toEqual({ source: [], tooling: [] });
    expect(tarball.files).toEqual(
      expect.arrayContaining([
        'dist/tombstone.js',
        'dist/index.js',
        'dist/msw.js',
        'dist/contract.js',
        'dist/types/generated/tavus/types.d.ts',
        'openapi/tavus.yaml',
        'mocks/tavus.json',
        'LICENSE',
        'CHANGELOG.md',
      ]),
    );
  });

  test('installs as a public package, without an engine warning, with its specs reachable through `exports`', async () => {
    expect(npmOutput).not.toMatch(/EBADENGINE|ERESOLVE/);
    const installed = path.join(project, 'node_modules', 'tombstone');
    const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'tombstone', version: VERSION });
    expect(manifest.private).toBeUndefined();
    const script = "console.log(import.meta.resolve('tombstone/openapi/tavus.yaml'))";
    const resolved = await run(process.execPath, ['--input-type=module', '-e', script], project);
    expect(resolved.stdout.trim()).toBe(`file://${path.join(installed, 'openapi', 'tavus.yaml')}`);
  });
});

describe('the CLI from the empty project', () => {
  const cases = [
    { given: ['--version'], want: { code: 0, stdout: `${VERSION}\n`, stderr: '' } },
    { given: ['help'], want: { code: 0, stdout: new RegExp(COMMANDS.map((c) => `\n {2}${c} `).join('.*'), 's') } },
    {
      given: ['contract', '--help'],
      want: { code: 0, stdout: /^Usage: tombstone contract \[options\]\n\n {2}contract / },
    },
    {
      given: ['serve', '--port', 'x'],
      want: { code: 2, stderr: /^\[tombstone\] --port must be .*, got 'x'\. Run `tombstone serve --help`\.\n$/ },
    },
    {
      // The designer tools are optional peer dependencies, loaded only by the commands that use them.
      given: ['generate'],
      want: { code: 1, stderr: /^\[tombstone\] `tombstone generate` needs @redocly\/openapi-core, .*`npm i -D /s },
    },
  ];
  test.each(cases.map((c) => ({ ...c, name: c.given.join(' ') })))('npx tombstone $name', async ({ given, want }) => {
    const result = await npx(given);
    expect(result).toMatchObject(want);
    if (want.code !== 0) expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

/** `tombstone serve` on a free port, run from the project with the bin `npx tombstone serve` runs. */
const serve = (args: string[]) =>
  spawnServe(['--port', '0', ...args], process.env, path.join(project, 'node_modules', '.bin', 'tombstone'), project);

const deleteTavus = (origin: string, doc: string) =>
  fetch(`${origin}/v2/documents/${doc}`, { method: 'DELETE', headers: { 'x-api-key': '<api-key>' } });

describe('serve from the empty project', () => {
  let server: ServeProcess;
  beforeAll(async () => {
    server = await serve([]);
  });
  afterAll(() => {
    server?.kill('SIGKILL');
  });

  test('serves the five variants: a delete twice gets 204, then 404', async () => {
    expect([...server.banner.matchAll(/^ {2}(\w+) +http/gm)].map((m) => m[1])).toEqual([...VARIANTS, 'control']);
    const first = await deleteTavus(`${server.origin}/tavus`, TAVUS_DOC);
    const second = await deleteTavus(`${server.origin}/tavus`, TAVUS_DOC);
    expect([first.status, second.status]).toEqual([204, 404]);
  });

  test('serves the API reference, built into the project’s node_modules/.cache', async () => {
    const page = await fetch(`${server.origin}/_mock/docs/tavus`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>Tavus');
    const built = await readFile(path.join(project, 'node_modules', '.cache', 'tombstone', 'docs', 'tavus.html'));
    expect(built.length).toBeGreaterThan(0);
  }, 60_000);

  test.each(VARIANTS)('`tombstone contract` passes against the served %s (exit 0)', async (variant) => {
    const result = await npx(['contract', '--variant', variant, '--base-url', `${server.origin}/${variant}`]);
    expect(result.stdout).toMatch(/\d+ passed, 0 failed/);
    expect(result.code).toBe(0);
  });
});

test('serve --seed reads the user’s own seed files', async () => {
  const seeds = path.join(project, 'seeds');
  const seed = JSON.parse(await readFile(path.join(project, 'node_modules/tombstone/mocks/tavus.json'), 'utf8'));
  const json = JSON.stringify(seed).replaceAll(TAVUS_DOC, 'my-own-document');
  await mkdir(seeds);
  await writeFile(path.join(seeds, 'tavus.json'), json);
  const server = await serve(['--variant', 'tavus', '--seed', 'seeds']);
  try {
    const statuses = [];
    for (const doc of ['my-own-document', TAVUS_DOC]) statuses.push((await deleteTavus(server.origin, doc)).status);
    expect(statuses).toEqual([204, 404]);
  } finally {
    server.kill('SIGKILL');
  }
});

test('a plain Node ESM script mocks the vendor with msw/node and tombstone/msw', async () => {
  const script = `
    import { setupServer } from 'msw/node';
    import { createVariantHandlers } from 'tombstone/msw';
    const server = setupServer(...(await createVariantHandlers('tavus')));
    server.listen({ onUnhandledRequest: 'error' });
    const remove = () => fetch('https://tavusapi.com/v2/documents/${TAVUS_DOC}',
      { method: 'DELETE', headers: { 'x-api-key': '<api-key>' } });
    console.log(JSON.stringify([(await remove()).status, (await remove()).status]));
    server.close();
  `;
  await writeFile(path.join(project, 'msw-node.mjs'), script);
  const result = await run(process.execPath, ['msw-node.mjs'], project);
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout)).toEqual([204, 404]);
});

test('a plain Node ESM script serves the mock with tombstone and checks it with tombstone/contract', async () => {
  const script = `
    import { createHttpServer, createMock } from 'tombstone';
    import { runContract } from 'tombstone/contract';
    const server = createHttpServer(await createMock({ variant: 'tavus' }));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = 'http://127.0.0.1:' + server.address().port;
    const report = await runContract({ variant: 'tavus', baseUrl });
    console.log(JSON.stringify({ ok: report.ok, statuses: report.results.map((r) => r.status) }));
    process.exit(0);
  `;
  await writeFile(path.join(project, 'library.mjs'), script);
  const result = await run(process.execPath, ['library.mjs'], project);
  expect(result.stderr).toBe('');
  const { ok, statuses } = JSON.parse(result.stdout) as { ok: boolean; statuses: string[] };
  expect(ok).toBe(true);
  expect(statuses).toContain('passed');
  expect(statuses).not.toContain('failed');
});

describe('typed clients and the library entry points see declarations only', () => {
  const client = (call: string) => `
    import createClient from 'openapi-fetch';
    import type { paths } from 'tombstone/types/tavus';
    const tavus = createClient<paths>({ baseUrl: 'http://localhost:4010/tavus', headers: { 'x-api-key': 'k' } });
    export const remove = () => ${call};
  `;
  // The library's entry points, typed: a variant name outside the union does not compile.
  const library = (variant: string) => `
    import { createHttpServer, createMock, type VariantName } from 'tombstone';
    import { type ContractReport, runContract } from 'tombstone/contract';
    import { createVariantHandlers } from 'tombstone/msw';
    export const server = createHttpServer(await createMock({ variant: 'tavus' }));
    export const report: Promise<ContractReport> = runContract({ variant: 'tavus', baseUrl: 'http://127.0.0.1:1' });
    export const name: VariantName = 'tavus';
    export const handlers = createVariantHandlers('${variant}');
  `;
  const files = {
    'right.ts': client("tavus.DELETE('/v2/documents/{document_id}', { params: { path: { document_id: 'd8' } } })"),
    'wrong-path.ts': client("tavus.DELETE('/v2/document/{document_id}', { params: { path: { document_id: 'd8' } } })"),
    'wrong-parameter.ts': client("tavus.DELETE('/v2/documents/{document_id}', { params: { path: { id: 'd8' } } })"),
    'library.ts': library('tavus'),
    'wrong-variant.ts': library('tavis'),
  };
  /** What tsc must say of each file: nothing of the right ones, one error of each wrong one. */
  const want = ['wrong-parameter.ts TS2353', 'wrong-path.ts TS2345', 'wrong-variant.ts TS2345'];
  const cases = [
    { moduleResolution: 'bundler', module: 'esnext' },
    { moduleResolution: 'nodenext', module: 'nodenext' },
  ];

  beforeAll(async () => {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(project, name), text);
  });

  // One tsc run per resolution (skipLibCheck off makes each cost seconds): the right files compile, the wrong ones don't.
  test.each(cases)(
    'under moduleResolution $moduleResolution',
    async (options) => {
      const tsconfig = `tsconfig.${options.moduleResolution}.json`;
      const compilerOptions = { ...options, strict: true, skipLibCheck: false, noEmit: true, target: 'es2022' };
      await writeFile(path.join(project, tsconfig), JSON.stringify({ compilerOptions, files: Object.keys(files) }));
      const result = await run(path.join(project, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], project);
      const errors = [...result.stdout.matchAll(/^(.+?)\(\d+,\d+\): error (TS\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
      expect({ code: result.code, errors: errors.sort() }).toEqual({ code: 2, errors: want });
    },
    120_000,
  );
});

test('a page importing tombstone/msw and msw/browser bundles for the browser and runs in Chromium', async () => {
  // The frontend's dev entry of test/msw.browser.test.ts, now in the user's project: its imports resolve there.
  await cp(path.join(import.meta.dirname, 'fixtures/browser/msw-app.ts'), path.join(project, 'page.ts'));
  const result = await build({
    absWorkingDir: project,
    entryPoints: ['page.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  expect(Object.keys(result.metafile.inputs)).toContain('node_modules/tombstone/dist/msw.js');
  const run = await runMswPage(result.outputFiles[0]!.contents, path.join(project, 'node_modules/msw/cli/index.js'));
  expect(run.statuses).toEqual([204, 404]);
  expect(run.vendor.map((r) => [r.method, r.fromServiceWorker])).toEqual([
    ['DELETE', true],
    ['DELETE', true],
    ['GET', true],
  ]);
  expect(run.escaped).toEqual([]);
}, 60_000);
