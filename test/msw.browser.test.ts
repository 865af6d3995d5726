/**
 * tombstone's MSW handlers in a real browser: a page bundled with esbuild starts msw/browser's `setupWorker` on
 * the vendor's real origin (https://tavusapi.com), with the service worker file `msw init` writes, both served from
 * 127.0.0.1 (test/support/mswPage.ts). Deleting a document twice gets 204 then 404 and the control API shows it
 * gone, all answered inside Chromium: any request that would leave the machine fails the test.
 * test/package.test.ts runs the same page with the installed package.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, test } from 'vitest';
import { DOC, runMswPage } from './support/mswPage.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** THE module behind `tombstone/msw` in the bundle: change it here when the handlers move. */
const HANDLERS_MODULE = path.join(ROOT, 'src/mock/adapter/msw/index.ts');
const ENTRY = path.join(ROOT, 'test/fixtures/browser/msw-app.ts');

test('setupWorker answers https://tavusapi.com in Chromium: delete twice, then the state shows it gone', async () => {
  const bundle = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'tombstone-msw',
        setup: (b) => b.onResolve({ filter: /^tombstone\/msw$/ }, () => ({ path: HANDLERS_MODULE })),
      },
    ],
  });
  const run = await runMswPage(bundle.outputFiles[0]!.contents, path.join(ROOT, 'node_modules/msw/cli/index.js'));

  expect(run.statuses).toEqual([204, 404]);
  expect(run.notFound).toMatchObject({ message: 'Document not found' });
  expect(run.state.status).toBe(200);
  expect(run.state.body).toContain('d9-1a2b3c4d5e6f');
  expect(run.state.body).not.toContain(DOC);
  expect(run.vendor.map((r) => r.method)).toEqual(['DELETE', 'DELETE', 'GET']);
  for (const request of run.vendor) expect(request.fromServiceWorker, request.url).toBe(true);
  expect(run.escaped).toEqual([]);
}, 60_000);
