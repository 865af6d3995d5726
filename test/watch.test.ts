/**
 * `--watch` (src/mock/adapter/node/watch.ts) on a scratch project: a spec edit regenerates and reloads only the
 * variants whose generated code changed, with the new definition; a seed edit reloads that variant; a broken
 * edit keeps the last good version and says why. The copies of generated/ that reloads import are counted: one per
 * variant while it serves from it, none once the watcher closes or `serve --watch` exits on a signal.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { type GeneratedApi, watchSources } from '../src/mock/adapter/node/watch.js';
import { packageCopy, spawnServe } from './support/serve.js';

let root: string;
let stop: (() => void) | undefined;
let calls: { spec: [string, GeneratedApi][]; seed: string[]; log: string[]; regenerated: number };

/** What a fake generator writes for one variant: a definition whose title is `title`. */
async function writeGenerated(variant: string, title: string) {
  const dir = path.join(root, 'generated', variant);
  await mkdir(path.join(dir, 'validators'), { recursive: true });
  await writeFile(path.join(dir, 'definition.js'), `export default ${JSON.stringify({ info: { title } })};\n`);
  await writeFile(
    path.join(dir, 'validators.js'),
    'export const operations = { op: { request: {}, responses: {} } };\n',
  );
  await writeFile(path.join(dir, 'validators', 'params.js'), '');
  await writeFile(path.join(dir, 'validators', 'bodies.js'), '');
}

function start(overrides: Partial<Parameters<typeof watchSources>[0]> = {}) {
  stop = watchSources({
    root,
    seedDir: path.join(root, 'mocks'),
    variants: ['tavus', 'velt'],
    // The fake generator: the spec file's text becomes tavus's title.
    regenerate: async () => {
      calls.regenerated++;
      await writeGenerated('tavus', 'v2');
    },
    reloadSpec: async (variant, api) => void calls.spec.push([variant, api]),
    reloadSeed: async (variant) => void calls.seed.push(variant),
    log: (line) => calls.log.push(line),
    ...overrides,
  }).close;
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tombstone-watch-'));
  await mkdir(path.join(root, 'openapi'));
  await mkdir(path.join(root, 'mocks'));
  await writeGenerated('tavus', 'v1');
  await writeGenerated('velt', 'v1');
  calls = { spec: [], seed: [], log: [], regenerated: 0 };
});

afterEach(async () => {
  stop?.();
  await rm(root, { recursive: true, force: true });
});

test('a spec edit regenerates and reloads the variant whose generated code changed, with its new definition', async () => {
  start();
  await writeFile(path.join(root, 'openapi', 'tavus.yaml'), 'openapi: 3.0.3\n');
  await vi.waitFor(() => expect(calls.log).toHaveLength(1), { timeout: 5_000 });
  expect(calls.regenerated).toBe(1);
  expect(calls.spec.map(([variant, api]) => [variant, api.definition.info.title])).toEqual([['tavus', 'v2']]);
  expect(Object.keys(calls.spec[0]![1].validators)).toEqual(['op']);
  expect(calls.log[0]).toBe(
    '[tombstone] openapi/tavus.yaml changed: generated/tavus/ rewritten, tavus reloaded (state from its seed).',
  );
});

const fail = (message: string) => async () => {
  throw new Error(message);
};

test.each([
  {
    name: 'a spec that does not build',
    overrides: { regenerate: fail('[tombstone] openapi/tavus.yaml does not bundle: bad indentation') },
    want:
      '[tombstone] openapi/tavus.yaml changed but does not build: openapi/tavus.yaml does not bundle: bad ' +
      'indentation. Still serving the last good version.',
  },
  {
    name: 'a variant the mock refuses to serve (an operation without a handler)',
    overrides: {
      reloadSpec: fail('[tombstone] Operation getDocument of openapi/tavus.yaml has no handler. Create it.'),
    },
    want:
      '[tombstone] tavus not reloaded: Operation getDocument of openapi/tavus.yaml has no handler. Create it.' +
      ' Still serving the last good version.',
  },
])('$name keeps the last good version, and says why', async ({ overrides, want }) => {
  start(overrides);
  await writeFile(path.join(root, 'openapi', 'tavus.yaml'), 'openapi: [\n');
  await vi.waitFor(() => expect(calls.log).toHaveLength(1), { timeout: 5_000 });
  expect(calls.spec).toEqual([]);
  expect(calls.log).toEqual([want]);
});

test('a seed edit reloads that variant; a seed of a variant not served is left alone; a bad one is reported', async () => {
  start({
    reloadSeed: async (variant) => {
      if (variant === 'velt')
        throw new Error('[tombstone] Failed to load seed mocks/velt.json: Unexpected token. Fix the JSON.');
      calls.seed.push(variant);
    },
  });
  await writeFile(path.join(root, 'mocks', 'dify.json'), '{}');
  await writeFile(path.join(root, 'mocks', 'tavus.json'), '{}');
  await vi.waitFor(() => expect(calls.log).toHaveLength(1), { timeout: 5_000 });
  expect(calls.seed).toEqual(['tavus']);
  expect(calls.log[0]).toBe(
    `[tombstone] ${path.join(root, 'mocks', 'tavus.json')} changed: tavus reloaded from it (state reset to the new seed).`,
  );
  await writeFile(path.join(root, 'mocks', 'velt.json'), '{');
  await vi.waitFor(() => expect(calls.log).toHaveLength(2), { timeout: 5_000 });
  expect(calls.log[1]).toBe(
    `[tombstone] ${path.join(root, 'mocks', 'velt.json')} changed but velt kept its state: ` +
      'Failed to load seed mocks/velt.json: Unexpected token. Fix the JSON.',
  );
  expect(calls.spec).toEqual([]);
});

/** The files of the copies of generated/ in `project`'s node_modules/.cache/tombstone-watch/<pid>/. */
async function copies(project: string, pid = process.pid): Promise<string[]> {
  const dir = path.join(project, 'node_modules', '.cache', 'tombstone-watch', String(pid));
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** How many files the copies hold, and the title of each copied definition. */
async function counted(project: string) {
  const files = await copies(project);
  const definitions = files.filter((file) => file.endsWith('definition.js'));
  const titles = await Promise.all(definitions.map(async (f) => /"title":"(\w+)"/.exec(await readFile(f, 'utf8'))![1]));
  return { files: files.length, titles };
}

test('each reload removes the copy it replaces, a failed reload its own, and close all of them', async () => {
  let edits = 0;
  start({
    // Each edit generates tavus anew, titled v2, v3, ...; the mock refuses v3.
    regenerate: async () => writeGenerated('tavus', `v${++edits + 1}`),
    reloadSpec: async (variant, api) => {
      if (api.definition.info.title === 'v3') throw new Error('[tombstone] Operation op has no handler.');
      calls.spec.push([variant, api]);
    },
  });
  // The fake generator's four files, and the package.json that makes the copies ES modules.
  // biome-ignore format: a table, one step per line
  const steps = [
    { given: 'a reload', want: { files: 5, titles: ['v2'] } },
    { given: 'a failed reload', want: { files: 5, titles: ['v2'] } },
    { given: 'another reload', want: { files: 5, titles: ['v4'] } },
  ];
  for (const [i, { given, want }] of steps.entries()) {
    await writeFile(path.join(root, 'openapi', 'tavus.yaml'), `openapi: 3.0.3 # ${given}\n`);
    await vi.waitFor(() => expect(calls.log).toHaveLength(i + 1), { timeout: 5_000 });
    expect({ given, ...(await counted(root)) }).toEqual({ given, ...want });
  }
  stop!();
  expect(await counted(root)).toEqual({ files: 0, titles: [] });
  expect(await readdir(path.join(root, 'node_modules', '.cache'))).toEqual([]);
});

test('the copies of a process that is gone (killed, crashed) go when a watcher starts; a running one’s stay', async () => {
  const ended = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => ended.on('exit', resolve));
  // <pid>/ and the layout before it, <pid>-<generation>/.
  const folders = [String(ended.pid), `${ended.pid}-1`, String(process.ppid)];
  for (const folder of folders) {
    const dir = path.join(root, 'node_modules', '.cache', 'tombstone-watch', folder, '1-tavus');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'definition.js'), '');
  }
  start();
  expect(await readdir(path.join(root, 'node_modules', '.cache', 'tombstone-watch'))).toEqual([String(process.ppid)]);
});

describe('serve --watch', () => {
  let pkg: string;
  beforeAll(async () => {
    pkg = await packageCopy('tombstone-watch-exit-');
  });
  afterAll(() => rm(pkg, { recursive: true, force: true }));

  test.each(['SIGINT', 'SIGTERM'] as const)(
    'removes its copies on %s',
    async (signal) => {
      const serve = await spawnServe(
        ['--port', '0', '--watch', '--variant', 'tavus'],
        process.env,
        `${pkg}/bin/tombstone.js`,
      );
      const specFile = path.join(pkg, 'openapi', 'tavus.yaml');
      const spec = await readFile(specFile, 'utf8');
      await writeFile(specFile, spec.replace(/^( {2}title: ).*$/m, `$1Tavus before ${signal}`));
      await vi.waitFor(
        async () => expect(await (await fetch(`${serve.origin}/`)).text()).toContain(`Tavus before ${signal}`),
        {
          timeout: 60_000,
          interval: 200,
        },
      );
      // The copy of generated/tavus/ tavus serves from stays until then.
      expect((await copies(pkg, serve.pid)).filter((f) => f.endsWith('definition.js'))).toHaveLength(1);
      serve.kill(signal);
      expect(await serve.exited).toBe(0);
      expect(await copies(pkg, serve.pid)).toEqual([]);
    },
    90_000,
  );
});
