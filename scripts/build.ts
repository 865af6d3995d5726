/**
 * `npm run build` (and `prepack`): the package's JavaScript and declarations in dist/. Usage: tsx scripts/build.ts
 * [outdir]
 * - one esbuild build of every entry point with shared chunks: the CLI (tombstone.js, the package's bin and what
 *   `npm run bench` measures, so `tombstone serve` starts without a TypeScript loader) and the library's entry
 *   points (index.js, msw.js, contract.js: the package's `exports`). Dependencies are bundled, so an installed
 *   tombstone needs none of them at run time; left out: msw (a peer dependency: the user's copy must be the one
 *   their setupServer/setupWorker uses) and the designer tools that only `generate`, `check` and `diff` load;
 * - declarations (`tsc --emitDeclarationOnly`, tsconfig.build.json) in types/, with the generated/ ones copied
 *   beside them: what `exports` gives TypeScript for each entry point and for `tombstone/types/<variant>`.
 *
 * openapi-backend loads, at import, modules for work that tombstone does ahead of time and never asks of it:
 * validating the definition (`tombstone check`), parsing and dereferencing it (`npm run generate` writes it
 * bundled and dereferenced, which is why tombstone passes `quick: true`), parsing requests and compiling
 * validators (tombstone's pipeline routes, parses and validates with the generated validators: `validate:
 * false`). Inside openapi-backend those imports are replaced with stand-ins: quick mode's `parse` and
 * `dereferenceSync` hand the definition back as it is, and anything else throws, naming what was left out.
 * That is a quarter of the bundle tombstone serve loads, and of its start-up.
 */
import { execFileSync } from 'node:child_process';
import { cp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const outdir = process.argv[2] ?? 'dist';

/** Output name (without .js) → source: package.json's `bin` and `exports` point at these outputs. */
const ENTRY_POINTS = {
  tombstone: 'src/cli/index.ts',
  index: 'src/index.ts',
  msw: 'src/mock/adapter/msw/index.ts',
  contract: 'src/contract/index.ts',
};

/** Not bundled: the peer msw, and what only `generate`, `check` and `diff` load, from node_modules as it is. */
const EXTERNAL = ['msw', 'typescript', 'openapi-typescript', '@redocly/openapi-core'];

/** esbuild's stand-in for `require` in ESM output: it throws at run time, so a bundle must not call it. */
const REQUIRE_SHIM = 'Dynamic require of';

/** What openapi-backend imports for work tombstone does ahead of time or itself. */
const LEFT_OUT = /^(openapi-schema-validator|@apidevtools\/json-schema-ref-parser|dereference-json-schema|qs|ajv)$/;

const leftOutMessage = (name: string) =>
  `${name} is left out of tombstone's build (scripts/build.ts): ` +
  'openapi-backend was asked for work tombstone does itself';

const standIn = (name: string) => `
const leftOut = () => { throw new Error(${JSON.stringify(leftOutMessage(name))}); };
const api = Object.assign(leftOut, {
  parse: (definition) => Promise.resolve(definition),
  dereferenceSync: (definition) => definition,
  dereference: leftOut,
  resolve: leftOut,
});
module.exports = { __esModule: true, default: api, ...api };
`;

const leaveOutOfOpenapiBackend: Plugin = {
  name: 'leave-out-of-openapi-backend',
  setup(b) {
    b.onResolve({ filter: LEFT_OUT }, (args) =>
      /node_modules[\\/]openapi-backend[\\/]/.test(args.importer)
        ? { path: args.path, namespace: 'left-out' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({ contents: standIn(args.path), loader: 'js' }));
  },
};

await rm(outdir, { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: ENTRY_POINTS,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minifyWhitespace: true,
  minifySyntax: true,
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  external: EXTERNAL,
  plugins: [leaveOutOfOpenapiBackend],
  metafile: true,
});

// No createRequire banner: msw.js's chunks must load in a browser. So no bundled CommonJS may call require().
// A CommonJS package that requires a Node built-in (a database client, say) goes in EXTERNAL and `dependencies`.
for (const file of Object.keys(metafile.outputs)) {
  if ((await readFile(file, 'utf8')).includes(REQUIRE_SHIM)) {
    throw new Error(
      `[tombstone] ${file} calls require() (esbuild's "${REQUIRE_SHIM}"): find the CommonJS package that ` +
        'requires a Node built-in, add it to EXTERNAL in scripts/build.ts and to dependencies in package.json.',
    );
  }
}

const types = path.join(outdir, 'types');
execFileSync(
  process.execPath,
  ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--declarationDir', types],
  { stdio: 'inherit' },
);
// tsc emits no declarations for the generated JavaScript's own .d.ts files: they are copied as they are.
await cp('generated', path.join(types, 'generated'), {
  recursive: true,
  filter: (file) => !path.extname(file) || file.endsWith('.d.ts'),
});
