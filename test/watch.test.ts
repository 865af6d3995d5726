/**
 * `--watch` (src/mock/adapter/node/watch.ts) on a scratch project: a spec edit regenerates and reloads only the
 * variants whose generated code changed, with the new definition; a seed edit reloads that variant; a broken
 * edit keeps the last good version and says why.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { type GeneratedApi, watchSources } from '../src/mock/adapter/node/watch.js';

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
