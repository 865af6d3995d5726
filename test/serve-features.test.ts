/**
 * `tombstone serve` with the mock's features, each case a real process: --log lines, --chaos profiles from a file,
 * --journal-size, their usage errors, and --watch reloading an edited seed and an edited spec of a copy of the
 * package (a broken edit keeps the last good version).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { packageCopy } from './support/serve.js';

const exec = promisify(execFile);
const CLI = path.resolve('bin/tombstone.js');
let scratch: string;

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function usage(args: string[]) {
  try {
    await exec(process.execPath, [CLI, 'serve', '--port', '0', ...args]);
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

/** A running `serve`: its origin, everything it printed so far, and a way to wait for a line. */
async function serve(args: string[], cli = CLI) {
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve', '--port', '0', ...args]);
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stdout += d));
  await vi.waitFor(() => expect(stdout).toMatch(/^ {2}control /m), { timeout: 20_000, interval: 50 });
  const origin = /listening on (http:\/\/\S+)/.exec(stdout)![1]!;
  return {
    origin,
    output: () => stdout,
    waitFor: (pattern: RegExp) => vi.waitFor(() => expect(stdout).toMatch(pattern), { timeout: 30_000, interval: 100 }),
    stop: () => child.kill('SIGKILL'),
  };
}

describe('usage errors', () => {
  test.each([
    {
      args: ['--journal-size', 'lots'],
      want: "--journal-size must be a whole number of requests (0 keeps none), got 'lots'.",
    },
    { args: ['--log', 'yaml'], want: "Unexpected argument 'yaml'" },
    { args: ['--log=yaml'], want: "--log must be one of text, json, got 'yaml'" },
    { args: ['--chaos', 'no-such-file.json'], want: '--chaos no-such-file.json: ENOENT' },
  ])('$args', async ({ args, want }) => {
    const { code, stderr } = await usage(args);
    expect(code).toBe(2);
    expect(stderr).toContain(want);
    expect(stderr.startsWith('[tombstone] ')).toBe(true);
  });

  test('a chaos file naming an undocumented status is refused, naming the allowed ones', async () => {
    scratch ??= await mkdtemp(path.join(tmpdir(), 'tombstone-serve-'));
    const file = path.join(scratch, 'chaos.json');
    await writeFile(file, JSON.stringify({ tavus: { errors: { '503': 0.1 } } }));
    const { code, stderr } = await usage(['--chaos', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${file}: chaos for tavus: 503 is not an error status any tavus operation documents; use one of 401, 404, 413`,
    );
  });
});

test('--log json prints a line per request; --chaos profiles are in force from the start', async () => {
  scratch ??= await mkdtemp(path.join(tmpdir(), 'tombstone-serve-'));
  const file = path.join(scratch, 'flaky.json');
  await writeFile(file, JSON.stringify({ tavus: { seed: 1, errors: { '413': 1 } } }));
  const mock = await serve(['--log', 'json', '--chaos', file]);
  try {
    expect(mock.output()).toContain('  chaos    tavus: {"seed":1,"errors":{"413":1}}');
    const res = await fetch(`${mock.origin}/tavus/v2/documents/d1`, {
      method: 'DELETE',
      headers: { 'x-api-key': '<api-key>' },
    });
    expect(res.status).toBe(413);
    await mock.waitFor(/^\{"time".*\n/m);
    const line = mock
      .output()
      .split('\n')
      .find((l) => l.startsWith('{"time"'))!;
    expect(JSON.parse(line)).toMatchObject({
      variant: 'tavus',
      operationId: 'deleteDocument',
      method: 'DELETE',
      path: '/tavus/v2/documents/d1',
      status: 413,
      reason: { kind: 'chaos', message: 'injected 413 (chaos, seed 1)' },
      chaos: { status: 413, delayMs: 0, reset: false },
    });
    expect(line).not.toContain('<api-key>');
  } finally {
    mock.stop();
  }
});

test('--watch reloads an edited seed and an edited spec; a broken edit keeps the last good version', async () => {
  const pkg = await packageCopy('tombstone-watch-pkg-');
  const mock = await serve(['--watch', '--variant', 'tavus'], path.join(pkg, 'bin/tombstone.js'));
  try {
    const seedFile = path.join(pkg, 'mocks', 'tavus.json');
    const seed = JSON.parse(await readFile(seedFile, 'utf8'));
    seed.accounts[0].documents.push({ id: 'd-watched', name: 'added while serving' });
    await writeFile(seedFile, JSON.stringify(seed));
    await mock.waitFor(/tavus\.json changed: tavus reloaded from it/);
    const state = await (await fetch(`${mock.origin}/_mock/state/tavus`)).json();
    expect(JSON.stringify(state)).toContain('d-watched');

    await writeFile(seedFile, '{ not json');
    await mock.waitFor(/tavus\.json changed but tavus kept its state: /);
    expect(JSON.stringify(await (await fetch(`${mock.origin}/_mock/state/tavus`)).json())).toContain('d-watched');

    const specFile = path.join(pkg, 'openapi', 'tavus.yaml');
    const spec = await readFile(specFile, 'utf8');
    await writeFile(specFile, spec.replace(/^( {2}title: ).*$/m, '$1Tavus, edited while serving'));
    await mock.waitFor(/openapi\/tavus\.yaml changed: generated\/tavus\/ rewritten, tavus reloaded/);
    expect(await (await fetch(`${mock.origin}/`)).text()).toContain('Tavus, edited while serving');

    await writeFile(specFile, `${spec}\n  : broken: [\n`);
    await mock.waitFor(/openapi\/tavus\.yaml changed but does not build: .*Still serving the last good version\./);
    const res = await fetch(`${mock.origin}/v2/documents/d-watched`, {
      method: 'DELETE',
      headers: { 'x-api-key': '<api-key>' },
    });
    expect(res.status).toBe(204);
  } finally {
    mock.stop();
    await rm(pkg, { recursive: true, force: true });
  }
}, 120_000);
