/**
 * `tombstone docs`: the rendered API reference of every spec tombstone serves, one self-contained HTML page each,
 * and an index.html linking them (src/designers/docs.ts). The mock serves the same pages at /_mock/docs/, building
 * a missing or stale one on first request; this command builds them all ahead, e.g. to browse them as files.
 */
import path from 'node:path';
import { buildDocs, DOCS_DIR } from '../../designers/docs.js';
import { parse } from './args.js';

export const usage = `docs         Build the HTML API reference of every spec, and an index (served at /_mock/docs/)
               --out <dir> (default: docs/reference/ in a checkout of tombstone; node_modules/.cache/tombstone/docs/
                 for an installed one; the temporary directory's tombstone-docs/ when that is read-only)`;

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' } });
  const outDir = values.out ? path.resolve(values.out) : DOCS_DIR;
  const pages = await buildDocs(outDir);
  console.log(`Wrote ${pages.length} API reference pages and index.html to ${outDir}.`);
  console.log('Open index.html, or run `npm start` and browse http://localhost:4010/_mock/docs/');
  return 0;
}
