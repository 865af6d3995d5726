/**
 * The CLI end to end, as a user runs it, each case a real process: exit codes (0 ok, 1 failed, 2 usage), help and
 * version, one-line expected errors with what to do, a port in use, a schema ajv refuses, the drift gate catching a
 * hand-edited generated file, and `serve` from another folder naming a spec whose generated/ is stale.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { staleGenerated } from '../src/project.js';

const exec = promisify(execFile);
const CLI = path.resolve('bin/tombstone.js');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

async function run(args: string[], cwd = process.cwd(), cli = CLI) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cli, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A copy of the package (what `npm pack` ships, plus bin/ and its node_modules), to edit without touching ours. */
async function copyPackage(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  for (const entry of ['bin', 'src', 'openapi', 'generated', 'mocks', 'package.json', 'tsconfig.json']) {
    await cp(entry, path.join(dir, entry), { recursive: true });
  }
  await symlink(path.resolve('node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

describe('tombstone CLI', () => {
  const hint = (command: string) => `Run \`tombstone ${command} --help\`.`;
  const cases = [
    { name: 'help lists every command', given: ['help'], want: { code: 0, out: /Usage: tombstone <command>.*diff/s } },
    { name: '--help is help', given: ['--help'], want: { code: 0, out: /Commands:\n {2}serve .* {2}contract /s } },
    {
      name: '--version prints the version',
      given: ['--version'],
      want: { code: 0, out: new RegExp(`^${VERSION}\n$`) },
    },
    {
      name: 'a command with --help prints its help only',
      given: ['serve', '--help'],
      want: { code: 0, out: /^Usage: tombstone serve \[options\]\n\n {2}serve {8}Start.*--seed <dir>.*Exit codes/s },
    },
    {
      name: 'an unknown command names the commands',
      given: ['nope'],
      want: {
        code: 2,
        out: /^\[tombstone\] Unknown command 'nope'; the commands are serve, .+\. Run `tombstone help`\.\n$/,
      },
    },
    {
      name: 'a port that is not a number is a usage error',
      given: ['serve', '--port', 'abc'],
      want: { code: 2, out: /^\[tombstone\] --port must be an integer from 0 to 65535 .+, got 'abc'\. / },
    },
    {
      name: 'an unknown option names the options',
      given: ['serve', '--bogus'],
      want: {
        code: 2,
        out: /^\[tombstone\] Unknown option '--bogus'; the options are --port, --host, --variant, --seed, --store, --store-prefix, --workers, --log, --journal-size, --chaos, --watch\. /,
      },
    },
    {
      name: 'more than one worker on the in-memory store is refused in one line',
      given: ['serve', '--workers', '2'],
      want: {
        code: 2,
        out: /^\[tombstone\] --workers 2 needs a shared store: .* Add --store redis:\/\/host:port\[\/db\] \(or redis\+cluster:\/\/host:port\[,host:port…\]\), or use --workers 1\. Run `tombstone serve --help`\.\n$/,
      },
    },
    {
      name: 'a worker count out of range is a usage error',
      given: ['serve', '--workers', '0'],
      want: { code: 2, out: /--workers must be an integer from 1 to 64, got '0'/ },
    },
    {
      name: 'a store that is not redis:// or redis+cluster:// is a usage error',
      given: ['serve', '--store', 'mongodb://x'],
      want: {
        code: 2,
        out: /Invalid store 'mongodb:\/\/x': expected memory, redis:\/\/\[\[user\]:password@\]host:port\[\/db\] or redis\+cluster:\/\/\[\[user\]:password@\]host:port\[,host:port…\] \(e\.g\./,
      },
    },
    {
      name: 'a key prefix without a Redis store is a usage error',
      given: ['serve', '--store-prefix', 'a:'],
      want: { code: 2, out: /--store-prefix needs --store redis:\/\// },
    },
    {
      name: 'a Redis that cannot be reached fails in one line',
      given: ['serve', '--store', 'redis://127.0.0.1:1'],
      want: {
        code: 1,
        out: /\[tombstone\] Cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*Start it, or check --store\./,
      },
    },
    {
      name: 'a Redis Cluster none of whose seed nodes can be reached fails in one line',
      given: ['serve', '--store', 'redis+cluster://127.0.0.1:1,127.0.0.1:2'],
      want: {
        code: 1,
        out: /^\[tombstone\] Cannot reach Redis at redis\+cluster:\/\/127\.0\.0\.1:1,127\.0\.0\.1:2: .+\. Start it, or check --store\.\n$/,
      },
    },
    {
      name: 'an unknown variant is a usage error',
      given: ['serve', '--variant', 'acme', '--port', '0'],
      want: { code: 2, out: /^\[tombstone\] unknown variant 'acme'; choose one of / },
    },
    {
      name: 'a wrong reporter is a usage error',
      given: ['diff', '--reporter', 'tap'],
      want: {
        code: 2,
        out: /^\[tombstone\] --reporter must be one of text, junit, got 'tap'\. Run `tombstone diff --help`/,
      },
    },
    {
      name: 'a missing seed file is one clear line, exit 1',
      given: ['serve', '--seed', '/nonexistent', '--port', '0'],
      want: { code: 1, out: /^\[tombstone\] Failed to load seed \/nonexistent\/\w+\.json: ENOENT\. Try --seed/ },
    },
    {
      name: 'a docs folder that cannot be made is one clear line, exit 1',
      given: ['docs', '--out', '/dev/null/docs'],
      want: { code: 1, out: /^\[tombstone\] Failed to create \/dev\/null\/docs: ENOTDIR\. Try --out / },
    },
    {
      name: 'generate --check passes on the committed tree',
      given: ['generate', '--check'],
      want: { code: 0, out: /generated\/ is up to date/ },
    },
  ];
  test.each(cases)('$name (exit $want.code)', async ({ given, want }) => {
    const { code, stdout, stderr } = await run(given);
    expect(code).toBe(want.code);
    expect(stdout + stderr).toMatch(want.out);
    expect(stderr).not.toMatch(/This is a bug/);
    // An expected error is one line, and a usage error ends with the hint to the command's help.
    if (code !== 0) expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    if (code === 2 && given[0] !== 'nope') expect(stderr.trim().endsWith(hint(given[0]!))).toBe(true);
  });

  test('a designer command outside a project says where it looked, exit 1', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'tombstone-empty-'));
    const { code, stderr } = await run(['generate', '--check'], empty);
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: `[tombstone] No openapi/ folder in ${empty}. Run this command in the folder that holds the specs.\n`,
    });
    await rm(empty, { recursive: true });
  });

  test('serve on a port in use says so in one line, exit 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    const { code, stderr } = await run(['serve', '--port', String(port)]);
    taken.close();
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: `[tombstone] Port ${port} on 127.0.0.1 is in use. Try --port <n> or stop the process using it.\n`,
    });
  });

  test('generate on a schema ajv refuses names the file and the schema in one line, exit 1, writes nothing', async () => {
    const dir = path.resolve('test/fixtures/broken-schema');
    const { code, stdout, stderr } = await run(['generate'], dir);
    expect({ code, stdout, stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr:
        '[tombstone] openapi/broken.yaml#/components/schemas/Thing/properties/price/required: ' +
        'ajv refuses this schema: must be array. Fix the schema there (an OpenAPI Schema Object: ' +
        'https://spec.openapis.org/oas/v3.0.3#schema-object), then run `npm run generate` again.\n',
    });
    expect(existsSync(path.join(dir, 'generated'))).toBe(false);
  });

  test('generate --check names a hand-edited generated file and exits 1', async () => {
    const dir = await copyPackage('tombstone-drift-');
    await appendFile(path.join(dir, 'generated/tavus/types.ts'), '\n// a hand edit\n');
    const { code, stderr } = await run(['generate', '--check'], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('generated/tavus/types.ts');
    expect(stderr).not.toContain('generated/dify/types.ts');
    await rm(dir, { recursive: true });
  });
});

describe('stale generated/', () => {
  let pkg: string;
  beforeAll(async () => {
    pkg = await copyPackage('tombstone-stale-');
  });
  afterAll(async () => {
    await rm(pkg, { recursive: true, force: true });
  });

  test('staleGenerated names the specs edited or not generated since `npm run generate`', async () => {
    expect(await staleGenerated(process.cwd())).toEqual([]);
    expect(await staleGenerated(pkg)).toEqual([]);
    await appendFile(path.join(pkg, 'openapi/tavus.yaml'), '# an edit after npm run generate\n');
    await rm(path.join(pkg, 'generated/velt'), { recursive: true });
    expect(await staleGenerated(pkg)).toEqual(['tavus', 'velt']);
    expect(await staleGenerated(path.join(pkg, 'generated'))).toEqual([]);
  });

  test('serve, run from another folder, serves the package and warns once per stale spec', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'tombstone-cwd-'));
    await appendFile(path.join(pkg, 'openapi/dify.yaml'), '# an edit after npm run generate\n');
    await cp('generated/velt', path.join(pkg, 'generated/velt'), { recursive: true });
    const child = spawn(process.execPath, [path.join(pkg, 'bin/tombstone.js'), 'serve', '--port', '0'], {
      cwd: elsewhere,
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d;
        if (/^ {2}control /m.test(stdout)) resolve();
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stdout}${stderr}`)));
    });
    const origin = /listening on (http:\/\/\S+)/.exec(stdout)![1]!;
    const health = await fetch(`${origin}/_mock/health`);
    child.kill('SIGKILL');
    await rm(elsewhere, { recursive: true });

    expect(health.status).toBe(200);
    expect([...stdout.matchAll(/^ {2}(\w+) +http/gm)].map((m) => m[1])).toEqual([
      'leadlex',
      'dify',
      'tavus',
      'velt',
      'oneflow',
      'control',
    ]);
    const warning = (spec: string) =>
      `[tombstone] Warning: openapi/${spec}.yaml changed after generated/${spec}/ was written: ` +
      'the mock serves the old version. Run `npm run generate`.';
    expect(stderr.split('\n').filter(Boolean)).toEqual([warning('dify'), warning('tavus')]);
  });
});
