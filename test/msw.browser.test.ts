/**
 * tombstone's MSW handlers in a real browser: a page bundled with esbuild starts msw/browser's `setupWorker` on
 * the vendor's real origin (https://tavusapi.com), with the service worker file `msw init` writes, both served from
 * 127.0.0.1. Deleting a document twice gets 204 then 404 and the control API shows it gone, all answered inside
 * Chromium: any request that would leave the machine fails the test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from './support/browser.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** THE module behind `tombstone/msw` in the bundle: change it here when the handlers move. */
const HANDLERS_MODULE = path.join(ROOT, 'src/mock/adapter/msw/index.ts');
const ENTRY = path.join(ROOT, 'test/fixtures/browser/msw-app.ts');
const ORIGIN = 'https://tavusapi.com';
const DOC = 'd8-5c71baca86fc';
const API_KEY = '<api-key>';

let site: { server: Server; origin: string; dir: string };
let browser: Browser;
let context: BrowserContext;
/** Requests that reached playwright's router for a host other than 127.0.0.1: each one would have left the machine. */
const escaped: string[] = [];
const requests: Request[] = [];

/** The page, its bundle and mockServiceWorker.js as `msw init` writes it, in a temporary public/ folder. */
async function publicDir(): Promise<{ dir: string; files: Record<string, { type: string; body: Buffer }> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tombstone-msw-browser-'));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/msw/cli/index.js'), 'init', dir, '--no-save'], {
    stdio: 'ignore',
  });
  const bundle = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    plugins: [{
      name: 'tombstone-msw',
      setup: (b) => b.onResolve({ filter: /^tombstone\/msw$/ }, () => ({ path: HANDLERS_MODULE })),
    }],
  });
  const html = '<!doctype html><title>frontend</title><script type="module" src="/app.js"></script>';
  return {
    dir,
    files: {
      '/': { type: 'text/html', body: Buffer.from(html) },
      '/app.js': { type: 'text/javascript', body: Buffer.from(bundle.outputFiles[0]!.contents) },
      '/mockServiceWorker.js': {
        type: 'text/javascript',
        body: await readFile(path.join(dir, 'mockServiceWorker.js')),
      },
    },
  };
}

beforeAll(async () => {
  const { dir, files } = await publicDir();
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, dir };
  browser = await launchChromium();
  context = await browser.newContext();
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    escaped.push(`${route.request().method()} ${url.href}`);
    return route.abort();
  });
  context.on('request', (request) => requests.push(request));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  site?.server.close();
  if (site) await rm(site.dir, { recursive: true, force: true });
});

test('setupWorker answers https://tavusapi.com in Chromium: delete twice, then the state shows it gone', async () => {
  const page = await context.newPage();
  await page.goto(site.origin);
  await page.evaluate(() => window.mswReady);

  const answers = await page.evaluate(async ({ origin, doc, key }) => {
    const remove = () => fetch(`${origin}/v2/documents/${doc}`, { method: 'DELETE', headers: { 'x-api-key': key } });
    const first = await remove();
    const second = await remove();
    const state = await fetch(`${origin}/_mock/state/tavus`);
    return {
      statuses: [first.status, second.status],
      notFound: await second.json(),
      state: { status: state.status, body: JSON.stringify(await state.json()) },
    };
  }, { origin: ORIGIN, doc: DOC, key: API_KEY });

  expect(answers.statuses).toEqual([204, 404]);
  expect(answers.notFound).toMatchObject({ message: 'Document not found' });
  expect(answers.state.status).toBe(200);
  expect(answers.state.body).toContain('d9-1a2b3c4d5e6f');
  expect(answers.state.body).not.toContain(DOC);

  const vendor = requests.filter((r) => new URL(r.url()).origin === ORIGIN);
  expect(vendor.map((r) => r.method())).toEqual(['DELETE', 'DELETE', 'GET']);
  for (const request of vendor) expect((await request.response())?.fromServiceWorker(), request.url()).toBe(true);
  expect(escaped).toEqual([]);
  await page.close();
});
