/**
 * The contract runner stands alone (issue 15): it depends on the specs, generated/, the OpenAPI model, the errors
 * and the variant folders (through src/variants/registry.ts, for each variant's contract.ts), never on the mock's
 * core (src/mock/: the app, the pipeline, the adapters). esbuild's metafile lists every source file the runner's
 * entry points pull in; each must be one of those.
 */
import { build } from 'esbuild';
import { expect, test } from 'vitest';

const ENTRY_POINTS = [
  'src/contract/runner.ts',
  'src/contract/proxy.ts',
  'src/cli/commands/contract.ts',
  'src/cli/commands/proxy.ts',
];

const ALLOWED = [
  /^src\/contract\//,
  /^src\/cli\/commands\/(contract|proxy)\.ts$/,
  // The plug-in folders and their bundled default seeds: data and handlers, none of the mock's core.
  /^src\/variants\//,
  /^mocks\/[a-z]+\.json$/,
  /^src\/(specs|conformance|errors)\.ts$/,
  // The OpenAPI model (one module per concept: operations, numeric bounds).
  /^src\/openapi\//,
  /^generated\//,
  // The CLI's argument parsing, shared by every command.
  /^src\/cli\/commands\/args\.ts$/,
  // XML escaping, shared with the landing page: pure string functions, no part of the mock's behaviour.
  /^src\/html\.ts$/,
];

test('the runner and the proxy import nothing of the mock core (src/mock/)', async () => {
  const result = await build({
    entryPoints: ENTRY_POINTS,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: 'out',
  });
  const sources = Object.keys(result.metafile.inputs);
  expect(sources).toContain('src/variants/velt/contract.ts');
  expect(sources.filter((file) => !ALLOWED.some((allowed) => allowed.test(file)))).toEqual([]);
});
