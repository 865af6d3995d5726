/**
 * The rendered API reference: one HTML page per spec in tombstone's openapi/, built with Redocly `build-docs` into
 * DOCS_DIR by `npm run docs`, or by the mock on the first request for a page that is missing or older than its
 * spec. The mock serves the pages at /_mock/docs/<spec> and an index at /_mock/docs/.
 *
 * Offline by construction: the Redoc bundle is inlined, telemetry is off (redocly.yaml), and every page carries a
 * Content-Security-Policy that lets it load nothing from anywhere — the inlined bundle still names a logo on
 * Redocly's CDN, which the policy blocks. `offlineProblems` is the build's guard against a page that would load a
 * script, style, font or image from the network.
 * https://redocly.com/docs/cli/commands/build-docs, https://www.w3.org/TR/CSP3/#meta-element
 */
import { accessSync, constants } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OpenAPIV3 } from 'openapi-types';
import { TombstoneError } from '../errors.js';
import { escapeHtml } from '../html.js';
import { mockError } from '../mock/mockErrors.js';
import type { MockResponse } from '../mock/types.js';
import { exec, GENERATED_DIR, listSpecs, PACKAGE_ROOT, SPEC_DIR } from '../project.js';

/** The specs and generated definitions the mock serves: tombstone's own, wherever it is run from. */
const ROOT = PACKAGE_ROOT;

/**
 * Where the pages go unless told otherwise: docs/reference/ in a checkout of tombstone (not committed); for an
 * installed package, the project's node_modules/.cache/tombstone/docs (the cache folder convention of Babel, ESLint
 * and find-cache-dir), not the package's own folder; when that is read-only (a global install), a folder in the
 * system's temporary directory.
 */
export const DOCS_DIR = docsDir();
const TEMPLATE = path.join(ROOT, 'src', 'designers', 'redoc-template.hbs');

function docsDir(): string {
  const modules = ROOT.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  const nodeModules = path.join(ROOT.slice(0, modules), 'node_modules');
  const [owner, dir] =
    modules === -1
      ? [ROOT, path.join(ROOT, 'docs', 'reference')]
      : [nodeModules, path.join(nodeModules, '.cache', 'tombstone', 'docs')];
  return writable(owner) ? dir : path.join(tmpdir(), 'tombstone-docs');
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Inline scripts and styles, `data:`/`blob:` images and fonts; nothing from any origin, not even this one. */
export const OFFLINE_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  'font-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface DocsPage {
  /** The spec's file name without `.yaml`: a variant or `mock-admin`. */
  name: string;
  title: string;
  version: string;
}

/** Every spec, titled from its generated definition (`npm run generate`), in openapi/ order. */
export async function docsPages(): Promise<DocsPage[]> {
  return Promise.all(
    (await listSpecs(ROOT)).map(async (name) => {
      const module = (await import(pathToFileURL(path.join(ROOT, GENERATED_DIR, name, 'definition.js')).href)) as {
        default: OpenAPIV3.Document;
      };
      return { name, title: module.default.info.title, version: module.default.info.version };
    }),
  );
}

export function pageFile(name: string): string {
  return `${name}.html`;
}

/**
 * Renders openapi/<name>.yaml into `outDir`, through a temporary file so a reader never sees half a page, and
 * refuses a page that would load anything from the network. Throws Error("<reason>") when it cannot.
 */
export async function buildPage(name: string, outDir: string): Promise<void> {
  const out = path.join(outDir, pageFile(name));
  const partial = `${out}.${process.pid}.${Date.now()}.partial`;
  try {
    const { code, output } = await exec(ROOT, 'redocly', [
      'build-docs',
      path.join(ROOT, SPEC_DIR, `${name}.yaml`),
      '--inlineBundle',
      '--template',
      TEMPLATE,
      `--templateOptions.csp=${OFFLINE_POLICY}`,
      '--output',
      partial,
    ]);
    if (code !== 0)
      throw new Error(
        `redocly build-docs failed: ${output
          .trim()
          .split('\n')
          .filter((line) => line.trim() && !/[║╔╚]/.test(line))
          .slice(-3)
          .join(' ')}`,
      );
    const problems = offlineProblems(await readFile(partial, 'utf8'));
    if (problems.length > 0) throw new Error(`the page ${problems.join('; ')}`);
    await rename(partial, out);
  } finally {
    await rm(partial, { force: true });
  }
}

/** Every page and index.html, built into `outDir` (`tombstone docs`). */
export async function buildDocs(outDir: string): Promise<DocsPage[]> {
  await mkdir(outDir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new TombstoneError(`Failed to create ${outDir}: ${err.code}. Try --out <a folder you can write to>.`);
  });
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

/** Builds in progress, by output file: concurrent requests for one page wait for one build. */
const building = new Map<string, Promise<void>>();

/** Builds the page unless it exists and is newer than its spec. */
async function ensurePage(name: string, outDir: string): Promise<void> {
  const out = path.join(outDir, pageFile(name));
  const [page, spec] = await Promise.all([
    stat(out).catch(() => undefined),
    stat(path.join(ROOT, SPEC_DIR, `${name}.yaml`)),
  ]);
  if (page && page.mtimeMs >= spec.mtimeMs) return;
  let build = building.get(out);
  if (!build) {
    build = buildPage(name, outDir).finally(() => building.delete(out));
    building.set(out, build);
  }
  await build;
}

/**
 * GET /_mock/docs/ (no `name`): the index; GET /_mock/docs/<name>: one page, built first if missing or stale.
 * Only names of specs are read, so the URL never chooses a file.
 */
export async function serveDocs(dir: string, name?: string): Promise<MockResponse> {
  const pages = await docsPages();
  if (name === undefined) return html(docsIndex(pages, (page) => page));
  if (!pages.some((page) => page.name === name)) {
    return mockError(
      'docs_not_found',
      `No API reference '${name}'; there is one per spec: ${pages.map((page) => page.name).join(', ')}`,
    );
  }
  try {
    await ensurePage(name, dir);
    return html(await readFile(path.join(dir, pageFile(name)), 'utf8'));
  } catch (err) {
    return mockError(
      'docs_unavailable',
      `Failed to build the API reference of ${SPEC_DIR}/${name}.yaml: ${(err as Error).message}. Try \`npm run docs\`.`,
    );
  }
}

function html(body: string): MockResponse {
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
}

/** The index of the references; `href` makes a link to one page (a file name on disk, a route in the mock). */
export function docsIndex(pages: DocsPage[], href: (name: string) => string): string {
  const items = pages.map((p) => {
    const link = `<a href="${escapeHtml(href(p.name))}">${escapeHtml(p.title)}</a>`;
    return `<li>${link} <small>${escapeHtml(p.name)} · v${escapeHtml(p.version)}</small></li>`;
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${OFFLINE_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tombstone API reference</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}
li{margin:.4rem 0}small{color:#666}
</style>
</head>
<body>
<h1>tombstone API reference</h1>
<p>One page per spec in <code>openapi/</code>, rendered by Redocly. <code>npm run docs</code> builds them all.</p>
<ul>
${items.join('\n')}
</ul>
</body>
</html>
`;
}

/**
 * Why `html` is not an offline page: every resource it would load from a URL (a script, style sheet, preload,
 * font, image or frame; a CSS `url()` or `@import`; a JavaScript module import), and a missing offline policy.
 * Links a reader follows (`<a href>`) are not resources. Empty when the page is offline.
 */
export function offlineProblems(html: string): string[] {
  const url = String.raw`(?:https?:)?//[^"'\s)>]+`;
  const patterns = [
    new RegExp(
      String.raw`<(?:script|img|iframe|frame|source|audio|video|embed|track)\b[^>]*?\ssrc\s*=\s*["']?(${url})`,
      'gi',
    ),
    new RegExp(String.raw`<link\b[^>]*?\shref\s*=\s*["']?(${url})`, 'gi'),
    new RegExp(String.raw`url\(\s*["']?(${url})`, 'gi'),
    new RegExp(String.raw`@import\s+["'](${url})`, 'gi'),
    new RegExp(String.raw`\bimport\s*(?:[\w{}*,\s]+from\s*)?\(?\s*["'](${url})`, 'g'),
  ];
  const resources = new Set(patterns.flatMap((pattern) => [...html.matchAll(pattern)].map((m) => `loads ${m[1]!}`)));
  const policy = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];
  return [
    ...resources,
    ...(policy === OFFLINE_POLICY ? [] : [`has no Content-Security-Policy meta element with "${OFFLINE_POLICY}"`]),
  ];
}
