/**
 * The landing page (`GET /`, openapi/mock-admin.yaml): every variant with its base URL, demo credentials and
 * seeded documents in their current state, each with a copyable curl and the status it gets. Rendered from the
 * stores on every request, so a reload shows the state as it is; self-contained (inline CSS and JS, no external
 * resources), so it works offline.
 */

import { escapeHtml } from '../../html.js';
import type { RequestRecord } from '../journal.js';
import type { AnyVariant, DocumentEntry, MockResponse } from '../types.js';
import { curl } from './curl.js';

export interface LandingVariant {
  variant: AnyVariant;
  /** The variant's current state, in its seed shape. */
  seed: unknown;
  /** Where its operations live: origin + mount + the spec's base path. */
  baseUrl: string;
}

/** `requests`: the latest ones from the journal, newest first. */
export function landingPage(now: string, variants: LandingVariant[], requests: RequestRecord[] = []): MockResponse {
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: html(now, variants, requests) };
}

function html(now: string, variants: LandingVariant[], requests: RequestRecord[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tombstone mock</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>tombstone mock</h1>
<p>Stateful mocks of five vendors' delete-document APIs. Every response below is one the vendor's spec documents;
CORS is on for every route. This page shows the state as it was when it loaded: reload after a delete.
Mock clock: <time>${escapeHtml(now)}</time>.</p>
<p class="actions"><button type="button" data-reset="/_mock/reset">Reset all state</button>
<a href="/_mock/health">health</a> <a href="/_mock/clock">clock</a>
<span role="status" id="status"></span></p>
<nav>${variants.map(({ variant }) => `<a href="#${escapeHtml(variant.name)}">${escapeHtml(variant.name)}</a>`).join(' ')}</nav>
</header>
<main>
${variants.map(section).join('\n')}
${journal(requests)}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The latest requests (the journal, `GET /_mock/requests`): what each got and why it was rejected. */
function journal(requests: RequestRecord[]): string {
  const rows = requests.map((r) => {
    const cells = [
      r.time.slice(11, 23),
      r.method,
      r.path,
      r.status ?? 'dropped',
      r.reason ? `${r.reason.kind}: ${r.reason.message}` : '',
    ];
    return `<tr>${cells.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`;
  });
  return `<section id="requests">
<h2>Latest requests <small><a href="/_mock/requests">all, as JSON</a></small></h2>
${
  rows.length === 0
    ? '<p>None yet: requests to the variants show here, newest first.</p>'
    : `<table>
<thead><tr><th>time</th><th>method</th><th>path</th><th>status</th><th>why rejected</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`
}
</section>`;
}

function section({ variant, seed, baseUrl }: LandingVariant): string {
  const name = escapeHtml(variant.name);
  const rows = variant.documents(seed);
  return `<section id="${name}" data-variant="${name}">
<h2>${name} <small>${escapeHtml(variant.definition.info.title)}</small></h2>
<dl>
<dt>Base URL</dt><dd><code>${escapeHtml(baseUrl)}</code></dd>
<dt>Docs</dt><dd><a href="/_mock/docs/${name}">API reference</a> <a href="/_mock/state/${name}">state (JSON)</a>
<button type="button" data-reset="/_mock/reset?variant=${name}">Reset ${name}</button></dd>
<dt>Demo credentials</dt><dd><ul>${variant
    .credentials(seed)
    .map((c) => `<li><code>${escapeHtml(c)}</code></li>`)
    .join('')}</ul></dd>
</dl>
<table>
<thead><tr><th>Document</th><th>Tenant</th><th>State</th><th>Gets</th><th>curl</th></tr></thead>
<tbody>
${rows.length === 0 ? '<tr><td colspan="5">No documents left.</td></tr>' : rows.map((doc) => row(doc, baseUrl)).join('\n')}
</tbody>
</table>
</section>`;
}

function row(doc: DocumentEntry, baseUrl: string): string {
  const outcome = doc.expect.status < 300 ? 'ok' : doc.expect.status === 404 ? 'absent' : 'refused';
  return `<tr data-doc="${escapeHtml(doc.id)}" data-expect="${doc.expect.status}">
<td><code>${escapeHtml(doc.id)}</code>${doc.name === undefined ? '' : `<br><small>${escapeHtml(doc.name)}</small>`}</td>
<td>${escapeHtml(doc.tenant)}</td>
<td><span class="state ${outcome}">${escapeHtml(doc.state)}</span></td>
<td>${doc.expect.status}${doc.expect.code ? ` <code>${escapeHtml(doc.expect.code)}</code>` : ''}</td>
<td class="curl"><pre><code>${escapeHtml(curl(baseUrl + doc.request.path, doc.request))}</code></pre><button type="button" data-copy>Copy</button></td>
</tr>`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --code: #f3f4f6;
  --ok: #116329; --ok-bg: #dafbe1; --refused: #7d4e00; --refused-bg: #fff1c2; --absent: #57606a; --absent-bg: #eaeef2; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9da7b3; --line: #3d444d; --code: #262c36;
  --ok: #7ee2a8; --ok-bg: #12361f; --refused: #f2cc60; --refused-bg: #3b2e0a; --absent: #b7bdc8; --absent-bg: #30363d; } }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg); max-width: 1280px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { margin: .5rem 0; } h2 { margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h2 small { font-weight: normal; color: var(--muted); font-size: .8em; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
dd code, li code { background: var(--code); padding: 0 .25em; border-radius: 3px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0 1rem; }
dt { color: var(--muted); } dd { margin: 0; } dd ul { margin: 0; padding-left: 1.1rem; }
a { margin-right: .75rem; }
nav a { font-weight: 600; }
button { font: inherit; font-size: 13px; padding: .15rem .6rem; border: 1px solid var(--line); border-radius: 4px; background: var(--code); color: var(--fg); cursor: pointer; }
.actions button { font-size: 15px; margin-right: 1rem; }
#status { color: var(--refused); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; }
td small { color: var(--muted); }
.state { display: inline-block; padding: 0 .45em; border-radius: 999px; font-size: 13px; white-space: nowrap; }
.ok { color: var(--ok); background: var(--ok-bg); }
.refused { color: var(--refused); background: var(--refused-bg); }
.absent { color: var(--absent); background: var(--absent-bg); }
td.curl { display: flex; gap: .5rem; align-items: flex-start; }
td.curl pre { flex: 1; margin: 0; padding: .35rem .5rem; background: var(--code); border-radius: 4px; white-space: pre-wrap; word-break: break-all; }
`;

/** Copy buttons (Clipboard API, else select the text for Ctrl+C) and reset buttons (POST, then reload). */
const SCRIPT = `
const status = document.getElementById('status');
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button');
  if (!button) return;
  if (button.dataset.copy !== undefined) {
    const code = button.previousElementSibling;
    try {
      await navigator.clipboard.writeText(code.textContent);
      button.textContent = 'Copied';
    } catch {
      getSelection().selectAllChildren(code);
      button.textContent = 'Ctrl+C';
    }
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  } else if (button.dataset.reset) {
    try {
      const res = await fetch(button.dataset.reset, { method: 'POST' });
      if (!res.ok) throw new Error(res.status + ' ' + (await res.text()));
      location.reload();
    } catch (err) {
      status.textContent = 'Reset failed: ' + err.message;
    }
  }
});
`;
