/**
 * tombstone's MSW handlers in a real browser, shared by test/msw.browser.test.ts (the sources) and
 * test/package.test.ts (the installed package): a page (a bundle of test/fixtures/browser/msw-app.ts) starts
 * msw/browser's `setupWorker` on https://tavusapi.com with the service worker file `msw init` writes, both served
 * from 127.0.0.1. In Chromium, the page deletes a document twice and reads the state; any request for a host other
 * than 127.0.0.1 is aborted and reported as escaped (it would have left the machine).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Request } from 'playwright-core';
import { launchChromium } from './browser.js';

export const ORIGIN = 'https://tavusapi.com';
export const DOC = 'd8-5c71baca86fc';
const API_KEY = '<api-key>';

export interface PageRun {
  /** The two deletes' statuses. */
  statuses: number[];
  /** The second delete's body. */
  notFound: unknown;
  state: { status: number; body: string };
  /** Each request for ORIGIN: its method and whether the service worker answered it. */
  vendor: { method: string; url: string; fromServiceWorker: boolean | undefined }[];
  /** Requests that would have left the machine. */
  escaped: string[];
}

/** Runs the page `bundle` (awaiting its `window.mswReady`) with the worker file of the msw CLI at `mswCli`. */
export async function runMswPage(bundle: Uint8Array, mswCli: string): Promise<PageRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tombstone-msw-browser-'));
  execFileSync(process.execPath, [mswCli, 'init', dir, '--no-save'], { stdio: 'ignore' });
  const html = '<!doctype html><title>frontend</title><script type="module" src="/app.js"></script>';
  const files: Record<string, { type: string; body: Uint8Array }> = {
    '/': { type: 'text/html', body: Buffer.from(html) },
    '/app.js': { type: 'text/javascript', body: bundle },
    '/mockServiceWorker.js': { type: 'text/javascript', body: await readFile(path.join(dir, 'mockServiceWorker.js')) },
  };
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const escaped: string[] = [];
    const requests: Request[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      escaped.push(`${route.request().method()} ${url.href}`);
      return route.abort();
    });
    context.on('request', (request) => requests.push(request));
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await page.evaluate(() => window.mswReady);
    const answers = await page.evaluate(
      async ({ origin, doc, key }) => {
        const remove = () =>
          fetch(`${origin}/v2/documents/${doc}`, { method: 'DELETE', headers: { 'x-api-key': key } });
        const first = await remove();
        const second = await remove();
        const state = await fetch(`${origin}/_mock/state/tavus`);
        return {
          statuses: [first.status, second.status],
          notFound: await second.json(),
          state: { status: state.status, body: JSON.stringify(await state.json()) },
        };
      },
      { origin: ORIGIN, doc: DOC, key: API_KEY },
    );
    const vendor = await Promise.all(
      requests
        .filter((r) => new URL(r.url()).origin === ORIGIN)
        .map(async (r) => ({
          method: r.method(),
          url: r.url(),
          fromServiceWorker: (await r.response())?.fromServiceWorker(),
        })),
    );
    return { ...answers, vendor, escaped };
  } finally {
    await browser.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

declare global {
  interface Window {
    mswReady: Promise<void>;
  }
}
