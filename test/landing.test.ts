/**
 * The landing page (`GET /`): documented in openapi/mock-admin.yaml, rendered from the current state, and honest:
 * every curl it shows, pasted into sh, gets the status it says.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { specs } from '../src/specs.js';
import { observe, type RunningMock, startMock } from './support/mock.js';

const sh = promisify(execFile);

interface Row {
  variant: string;
  id: string;
  expect: number;
  curl: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescapeHtml = (html: string) => html.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

/** The page's document rows, read from its markup (data-doc, data-expect and the curl's text). */
function rows(html: string): Row[] {
  const out: Row[] = [];
  for (const [, variant, body] of html.matchAll(/<section id="[^"]*" data-variant="([^"]*)">([\s\S]*?)<\/section>/g)) {
    for (const [, id, status, cells] of body!.matchAll(
      /<tr data-doc="([^"]*)" data-expect="(\d+)">([\s\S]*?)<\/tr>/g,
    )) {
      const curl = /<td class="curl"><pre><code>([\s\S]*?)<\/code>/.exec(cells!)?.[1];
      out.push({ variant: variant!, id: unescapeHtml(id!), expect: Number(status), curl: unescapeHtml(curl ?? '') });
    }
  }
  return out;
}

async function page(mock: RunningMock): Promise<string> {
  const observed = await observe(await fetch(`${mock.origin}/`));
  expect(checkResponse(specs['mock-admin']!, 'getLandingPage', observed)).toEqual([]);
  return observed.body;
}

/** Runs a command line as a user would paste it, and reads the status line `curl -i` prints. */
async function run(curl: string): Promise<number> {
  const { stdout } = await sh('sh', ['-c', curl]);
  return Number(/^HTTP\/[\d.]+ (\d{3})/.exec(stdout)?.[1]);
}

describe('all five variants', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(() => mock.close());

  test('the page is documented HTML listing every variant and every seeded document', async () => {
    const html = await page(mock);
    const listed = rows(html);
    expect([...new Set(listed.map((r) => r.variant))]).toEqual(['leadlex', 'dify', 'tavus', 'velt', 'oneflow']);
    for (const runtime of mock.app.runtimes.values()) {
      const want = runtime.variant.documents(runtime.snapshot()).map((d) => d.id);
      expect(
        listed.filter((r) => r.variant === runtime.variant.name).map((r) => r.id),
        runtime.variant.name,
      ).toEqual(want);
    }
  });

  test('seed values are shown as text, never as markup', async () => {
    const html = await page(mock);
    expect(html).toContain('&lt;x-velt-api-key&gt;');
    expect(html).not.toContain('<x-velt-api-key>');
  });

  test('every curl on the page gets the status the page says', async () => {
    await fetch(`${mock.origin}/_mock/reset`, { method: 'POST' });
    const listed = rows(await page(mock));
    expect(listed.length).toBeGreaterThan(20);
    // Each row deletes a different document (or none), so they can run one after the other on one state.
    for (const row of listed)
      expect({ row: `${row.variant} ${row.id}`, status: await run(row.curl) }).toEqual({
        row: `${row.variant} ${row.id}`,
        status: row.expect,
      });
  });

  test.each([
    {
      given: 'a document deleted through the API',
      change: (m: RunningMock) =>
        fetch(`${m.origin}/tavus/v2/documents/d9-1a2b3c4d5e6f`, {
          method: 'DELETE',
          headers: { 'x-api-key': '<api-key>' },
        }),
      want: { id: 'd9-1a2b3c4d5e6f', listed: false },
    },
    {
      given: 'a document added through the control API',
      change: (m: RunningMock) =>
        fetch(`${m.origin}/_mock/state/tavus/documents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            accounts: [{ id: 'acct_demo', apiKeys: [], documents: [{ id: 'd-added', associatedData: [] }] }],
          }),
        }),
      want: { id: 'd-added', listed: true },
    },
  ])('the page shows the current state: $given', async ({ change, want }) => {
    await fetch(`${mock.origin}/_mock/reset`, { method: 'POST' });
    expect((await change(mock)).ok).toBe(true);
    const ids = rows(await page(mock))
      .filter((r) => r.variant === 'tavus')
      .map((r) => r.id);
    expect(ids.includes(want.id)).toBe(want.listed);
  });
});

describe('one variant served at the root', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ variant: 'tavus' });
  });
  afterAll(() => mock.close());

  test('the curls have no /tavus prefix, and work', async () => {
    const listed = rows(await page(mock));
    const first = listed[0]!;
    expect(first.curl).toContain(`${mock.origin}/v2/documents/`);
    expect(await run(first.curl)).toBe(first.expect);
  });
});
