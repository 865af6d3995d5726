/**
 * `npm run build`: the CLI as one esbuild bundle in dist/ (what `npm run bench` measures), so `tombstone serve`
 * starts without a TypeScript loader. Usage: tsx scripts/build.ts [outdir]
 *
 * openapi-backend loads, at import, modules for work that tombstone does ahead of time and never asks of it:
 * validating the definition (`tombstone check`), parsing and dereferencing it (`npm run generate` writes it
 * bundled and dereferenced, which is why tombstone passes `quick: true`), parsing requests and compiling
 * validators (tombstone's pipeline routes, parses and validates with the generated validators: `validate:
 * false`). Inside openapi-backend those imports are replaced with stand-ins: quick mode's `parse` and
 * `dereferenceSync` hand the definition back as it is, and anything else throws, naming what was left out.
 * That is a quarter of the bundle tombstone serve loads, and of its start-up.
 */
import { rm } from 'node:fs/promises';
import { build, type Plugin } from 'esbuild';

const outdir = process.argv[2] ?? 'dist';

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
await build({
  entryPoints: ['src/cli/index.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minifyWhitespace: true,
  minifySyntax: true,
  outdir,
  entryNames: 'tombstone',
  logLevel: 'warning',
  // Only `generate`, `check` and `diff` load these, from node_modules as they are.
  external: ['typescript', 'openapi-typescript', '@redocly/openapi-core'],
  // Bundled CommonJS dependencies call require(); ESM output has none of its own.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  plugins: [leaveOutOfOpenapiBackend],
});
