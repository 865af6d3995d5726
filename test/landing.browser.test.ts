/**
 * The landing page in a real browser: a headless Chromium driven by playwright-core (test/support/browser.ts finds
 * one). A frontend on another origin deletes through CORS, preflight included, and a
 * reload of the page shows the new state; the reset button brings the seed back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { launchPersistentChromium } from './support/browser.js';
import { type RunningMock, startMock } from './support/mock.js';

const DOC_PATH = '/leadlex/functions/v1/api-gateway/v1/documents/doc_01HY1';

let mock: RunningMock;
/** A stand-in for a frontend: an empty page on another origin (same host, another port). */
let frontend: { server: Server; origin: string };
let profile: string;
let browser: BrowserContext;

beforeAll(async () => {
  profile = await mkdtemp(path.join(tmpdir(), 'tombstone-chromium-'));
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>frontend</title>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  frontend = { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  [mock, browser] = await Promise.all([startMock(), launchPersistentChromium(profile)]);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await mock?.close();
  frontend?.server.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

beforeEach(async () => {
  await fetch(`${mock.origin}/_mock/reset`, { method: 'POST' });
});

/** The IDs the page lists for a variant. */
const listed = (page: Page, variant: string) =>
  page
    .locator(`section[data-variant="${variant}"] tr[data-doc]`)
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-doc')));

test('the page lists all five variants, each with its base URL and documents', async () => {
  const page = await browser.newPage();
  await page.goto(`${mock.origin}/`);
  expect(await page.title()).toBe('tombstone mock');
  expect(
    await page.locator('section[data-variant]').evaluateAll((s) => s.map((e) => e.getAttribute('data-variant'))),
  ).toEqual(['leadlex', 'dify', 'tavus', 'velt', 'oneflow']);
  await expect(page.locator('#velt dd code').first().textContent()).resolves.toBe(`${mock.origin}/velt`);
  expect(await listed(page, 'leadlex')).toContain('doc_01HY1');
  await page.close();
});

test('a page on another origin deletes through CORS, preflight included; a reload shows the document gone', async () => {
  const landing = await browser.newPage();
  await landing.goto(`${mock.origin}/`);
  expect(await listed(landing, 'leadlex')).toContain('doc_01HY1');

  const app = await browser.newPage();
  const cdp = await browser.newCDPSession(app);
  await cdp.send('Network.enable');
  const preflights: { url: string; status: number }[] = [];
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Preflight') preflights.push({ url: e.response.url, status: e.response.status });
  });
  await app.goto(frontend.origin);
  const answer = await app.evaluate(async (url) => {
    // Authorization is not a CORS-safelisted header and DELETE not a simple method: the browser must preflight.
    const res = await fetch(url, { method: 'DELETE', headers: { Authorization: 'Bearer wbk_your_api_key_here' } });
    return { status: res.status, requestId: res.headers.get('X-Request-ID') };
  }, `${mock.origin}${DOC_PATH}`);
  expect(answer.status).toBe(204);
  expect(answer.requestId, 'X-Request-ID is exposed to scripts').toMatch(/^req_/);
  expect(preflights).toEqual([{ url: `${mock.origin}${DOC_PATH}`, status: 204 }]);

  await landing.reload();
  const ids = await listed(landing, 'leadlex');
  expect(ids).not.toContain('doc_01HY1');
  expect(ids).toContain('doc_01HY2');
  await Promise.all([app.close(), landing.close()]);
});

test('the reset button restores the seed', async () => {
  const deleted = await fetch(`${mock.origin}/tavus/v2/documents/d8-5c71baca86fc`, {
    method: 'DELETE',
    headers: { 'x-api-key': '<api-key>' },
  });
  expect(deleted.status).toBe(204);
  const page = await browser.newPage();
  await page.goto(`${mock.origin}/`);
  expect(await listed(page, 'tavus')).not.toContain('d8-5c71baca86fc');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reset all state' }).click()]);
  expect(await listed(page, 'tavus')).toContain('d8-5c71baca86fc');
  await page.close();
});

test('the copy button puts the curl on the clipboard', async () => {
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mock.origin });
  const page = await browser.newPage();
  await page.goto(`${mock.origin}/`);
  const row = page.locator('#tavus tr[data-doc="d8-5c71baca86fc"]');
  await row.getByRole('button', { name: 'Copy' }).click();
  await row.getByRole('button', { name: 'Copied' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await row.locator('td.curl code').textContent());
  expect(copied).toMatch(/^curl -i -X DELETE .*\/tavus\/v2\/documents\/d8-5c71baca86fc/);
  await page.close();
});
