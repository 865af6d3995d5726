/**
 * `npm run docs` and /_mock/docs/: every spec gets a reference page that loads nothing from the network, and the
 * mock serves the pages as openapi/mock-admin.yaml documents them, building a missing or stale one on request.
 * Everything is built here, into temporary directories, by the same code as `npm run docs`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { buildDocs, type DocsPage, OFFLINE_POLICY, offlineProblems } from '../src/designers/docs.js';
import { listSpecs } from '../src/project.js';
import { specs } from '../src/specs.js';
import { launchChromium } from './support/browser.js';
import { observe, type RunningMock, startMock } from './support/mock.js';

const CSP = `<meta http-equiv="Content-Security-Policy" content="${OFFLINE_POLICY}">`;
const NO_CSP = `has no Content-Security-Policy meta element with "${OFFLINE_POLICY}"`;

let built: string;
let empty: string;
let pages: DocsPage[];

beforeAll(async () => {
  [built, empty] = await Promise.all([
    mkdtemp(path.join(tmpdir(), 'tombstone-docs-')),
    mkdtemp(path.join(tmpdir(), 'tombstone-no-docs-')),
  ]);
  pages = await buildDocs(built);
}, 120_000);

afterAll(async () => {
  await Promise.all([built, empty].map((dir) => dir && rm(dir, { recursive: true, force: true })));
});

describe('offlineProblems', () => {
  it.each([
    { given: `${CSP}<a href="https://redocly.com">a link is not a resource</a>`, want: [] },
    {
      given: `${CSP}<script type="module" src="https://cdn.redocly.com/redoc/v3/redoc.standalone.js"></script>`,
      want: ['loads https://cdn.redocly.com/redoc/v3/redoc.standalone.js'],
    },
    {
      given: `${CSP}<link rel="modulepreload" href="https://cdn.redocly.com/redoc.js" />`,
      want: ['loads https://cdn.redocly.com/redoc.js'],
    },
    {
      given: `${CSP}<link href="//fonts.googleapis.com/css?family=Roboto" rel="stylesheet">`,
      want: ['loads //fonts.googleapis.com/css?family=Roboto'],
    },
    {
      given: `${CSP}<style>@import url("https://fonts.googleapis.com/css2?family=Inter");</style>`,
      want: ['loads https://fonts.googleapis.com/css2?family=Inter'],
    },
    {
      given: `${CSP}<style>@font-face{src:url(https://fonts.gstatic.com/inter.woff2)}</style>`,
      want: ['loads https://fonts.gstatic.com/inter.woff2'],
    },
    {
      given: `${CSP}<script type="module">import { hydrate } from "https://cdn.redocly.com/redoc.js";</script>`,
      want: ['loads https://cdn.redocly.com/redoc.js'],
    },
    { given: '<html><body>no policy</body></html>', want: [NO_CSP] },
  ])('$given', ({ given, want }) => {
    expect(offlineProblems(given)).toEqual(want);
  });
});

describe('npm run docs', () => {
  it('builds one page per spec, in openapi/ order, with its title', async () => {
    expect(pages.map((p) => p.name)).toEqual(await listSpecs(process.cwd()));
    expect(pages.find((p) => p.name === 'velt')).toEqual({
      name: 'velt',
      title: specs['velt']!.definition.info.title,
      version: '2.0.0',
    });
  });

  it('writes pages that load nothing from the network and send no telemetry', async () => {
    for (const file of ['index.html', ...pages.map((p) => `${p.name}.html`)]) {
      const html = await readFile(path.join(built, file), 'utf8');
      expect(offlineProblems(html), file).toEqual([]);
      if (file !== 'index.html') expect(html, file).toContain('"disableTelemetry":true');
    }
  });

  it('links every page from index.html', async () => {
    const index = await readFile(path.join(built, 'index.html'), 'utf8');
    expect([...index.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1])).toEqual(pages.map((p) => `${p.name}.html`));
  });
});

describe('GET /_mock/docs/', () => {
  let served: RunningMock;
  let unbuilt: RunningMock;
  let unwritable: RunningMock;
  beforeAll(async () => {
    [served, unbuilt, unwritable] = await Promise.all([
      startMock({ docsDir: built }),
      startMock({ docsDir: empty }),
      // A directory inside a file: nothing can be built there.
      startMock({ docsDir: path.join(built, 'index.html', 'pages') }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([served?.close(), unbuilt?.close(), unwritable?.close()]);
  });

  const get = async (mock: RunningMock, url: string, operationId: string) => {
    const observed = await observe(await fetch(`${mock.origin}${url}`));
    expect(checkResponse(specs['mock-admin']!, operationId, observed)).toEqual([]);
    return observed;
  };

  it.each([
    {
      given: '/_mock/docs/',
      operationId: 'getDocsIndex',
      want: { status: 200, contains: '<a href="leadlex">LeadLex Documents API — Delete Document</a>' },
    },
    {
      given: '/_mock/docs/tavus',
      operationId: 'getDocsPage',
      want: { status: 200, contains: '<title>Tavus Developer API Collection — Delete Document</title>' },
    },
    {
      given: '/_mock/docs/mock-admin',
      operationId: 'getDocsPage',
      want: { status: 200, contains: '<title>tombstone mock control API</title>' },
    },
    {
      given: '/_mock/docs/acme',
      operationId: 'getDocsPage',
      want: {
        status: 404,
        contains: `"No API reference 'acme'; there is one per spec: dify, leadlex, mock-admin, oneflow, tavus, velt"`,
      },
    },
    {
      given: '/_mock/docs/..%2F..%2Fpackage.json',
      operationId: 'getDocsPage',
      want: { status: 404, contains: '"code":"docs_not_found"' },
    },
  ])('built: $given', async ({ given, operationId, want }) => {
    const res = await get(served, given, operationId);
    expect(res.status).toBe(want.status);
    expect(res.body).toContain(want.contains);
  });

  it('builds a missing page on its first request, then serves it as built', async () => {
    const file = path.join(empty, 'dify.html');
    expect(existsSync(file)).toBe(false);
    const [first, concurrent] = await Promise.all([
      get(unbuilt, '/_mock/docs/dify', 'getDocsPage'),
      get(unbuilt, '/_mock/docs/dify', 'getDocsPage'),
    ]);
    expect([first.status, concurrent.status]).toEqual([200, 200]);
    expect(first.body).toBe(await readFile(file, 'utf8'));
    expect(offlineProblems(first.body)).toEqual([]);
    const built = (await stat(file)).mtimeMs;
    expect((await get(unbuilt, '/_mock/docs/dify', 'getDocsPage')).status).toBe(200);
    expect((await stat(file)).mtimeMs).toBe(built);
  });

  it('rebuilds a page older than its spec', async () => {
    const file = path.join(empty, 'velt.html');
    await get(unbuilt, '/_mock/docs/velt', 'getDocsPage');
    await utimes(file, new Date(0), new Date(0));
    expect((await get(unbuilt, '/_mock/docs/velt', 'getDocsPage')).status).toBe(200);
    expect((await stat(file)).mtimeMs).toBeGreaterThan(0);
  });

  it('is a 404 saying why when the page cannot be built', async () => {
    const res = await get(unwritable, '/_mock/docs/tavus', 'getDocsPage');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error).toMatchObject({
      code: 'docs_unavailable',
      message: expect.stringMatching(
        /^Failed to build the API reference of openapi\/tavus\.yaml: .+\. Try `npm run docs`\.$/,
      ),
    });
  });
});

/**
 * In a headless Chromium (test/support/browser.ts finds one; driven by playwright-core): each page renders, and no
 * request leaves the mock — the inlined Redoc still asks for a logo on Redocly's CDN, which the page's policy
 * stops before it reaches the network.
 */
describe('in a browser', () => {
  let mock: RunningMock;
  let browser: Browser;
  beforeAll(async () => {
    [mock, browser] = await Promise.all([startMock({ docsDir: built }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  it('renders every page without a request outside the mock', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${mock.origin}/`)) return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(`${mock.origin}/_mock/docs/`);
    expect(await page.locator('a').count()).toBe(pages.length);
    for (const { name, title } of pages) {
      await page.goto(`${mock.origin}/_mock/docs/${name}`);
      await page.waitForLoadState('networkidle');
      expect(await page.locator('h1').first().textContent(), name).toContain(title);
    }
    expect(outside).toEqual([]);
    await page.close();
  });
});
