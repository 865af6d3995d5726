/**
 * The mock's core runs anywhere a browser does: bundled for the browser platform, neither src/mock/index.ts nor
 * the MSW adapter reaches a Node built-in, directly or through what they import (esbuild cannot resolve `node:*`
 * for the browser, so the bundle would fail). And a variant folder pulls in no runtime value of the mock.
 */
import { build } from 'esbuild';
import { expect, test } from 'vitest';

async function browserBundle(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

const cases = [
  { name: 'the core', given: 'src/mock/index.ts', want: 'src/mock/app.ts' },
  { name: 'the MSW adapter', given: 'src/mock/adapter/msw/index.ts', want: 'src/variants/registry.ts' },
];
test.each(cases)('$name bundles for the browser with no Node built-in', async ({ given, want }) => {
  const inputs = await browserBundle(given);
  expect(inputs).toContain(want);
  expect(inputs.filter((input) => input.startsWith('node:') || input.includes('src/designers/'))).toEqual([]);
});

test('the bundle check can fail: the node adapter does not bundle for the browser', async () => {
  await expect(browserBundle('src/mock/adapter/node/index.ts')).rejects.toThrow(/node:/);
});

test('a variant folder imports no runtime value of the mock core', async () => {
  const inputs = await browserBundle('src/variants/registry.ts');
  expect(inputs.filter((input) => input.startsWith('src/mock/'))).toEqual([]);
});
