/**
 * `tombstone docs`: the rendered API reference of every spec in openapi/, one self-contained HTML page each, and
 * an index.html linking them (src/designers/docs.ts). The mock serves the same pages at /_mock/docs/, building a
 * missing or stale one on first request; this command builds them all ahead, e.g. to browse them as files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildPage, DOCS_DIR, type DocsPage, docsIndex, docsPages, pageFile } from '../../designers/docs.js';
import { TombstoneError } from '../../errors.js';
import { SPEC_DIR } from '../../project.js';
import { parse } from './args.js';

export const usage = `docs         Build the HTML API reference of every spec, and an index, into docs/reference/ (served at /_mock/docs/)
               --out <dir> (default docs/reference)`;

export async function run(args: string[]): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' } });
  const outDir = values.out ? path.resolve(values.out) : DOCS_DIR;
  const pages = await buildDocs(outDir);
  console.log(
    `Wrote ${pages.length} API reference pages and index.html to ${path.relative(process.cwd(), outDir) || '.'}/.`,
  );
  console.log('Open index.html, or run `npm start` and browse http://localhost:4010/_mock/docs/');
  return 0;
}

export async function buildDocs(outDir: string): Promise<DocsPage[]> {
  await mkdir(outDir, { recursive: true });
  const pages = await docsPages();
  await Promise.all(
    pages.map(({ name }) =>
      buildPage(name, outDir).catch((err: Error) => {
        throw new TombstoneError(
          `Failed to build the API reference of ${SPEC_DIR}/${name}.yaml: ${err.message}. Try \`npm run lint\`.`,
        );
      }),
    ),
  );
  await writeFile(path.join(outDir, 'index.html'), docsIndex(pages, pageFile));
  return pages;
}
