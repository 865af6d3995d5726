/**
 * The CLI end to end, as a user runs it: exit codes (0 ok, 1 failed, 2 usage), one-line expected errors, and the
 * drift gate catching a hand-edited generated file.
 */
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const exec = promisify(execFile);
const CLI = path.resolve('bin/tombstone.js');

async function run(args: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('tombstone CLI', () => {
  const cases = [
    { name: 'help prints usage', given: ['help'], want: { code: 0, out: /Usage: tombstone <command>/ } },
    { name: 'an unknown command is a usage error', given: ['nope'], want: { code: 2, out: /unknown command 'nope'/ } },
    {
      name: 'a port that is not a number is a usage error',
      given: ['serve', '--port', 'abc'],
      want: { code: 2, out: /--port must be an integer/ },
    },
    {
      name: 'an unknown option is a usage error',
      given: ['serve', '--bogus'],
      want: { code: 2, out: /Unknown option '--bogus'/ },
    },
    {
      name: 'an unknown variant is a usage error',
      given: ['serve', '--variant', 'acme', '--port', '0'],
      want: { code: 2, out: /unknown variant 'acme'/ },
    },
    {
      name: 'a missing seed file is one clear line, exit 1',
      given: ['serve', '--seed', '/nonexistent', '--port', '0'],
      want: { code: 1, out: /^\[tombstone\] Failed to load seed \/nonexistent\/\w+\.json: ENOENT\. Try --seed/ },
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
  });

  test('generate --check names a hand-edited generated file and exits 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tombstone-drift-'));
    for (const entry of ['openapi', 'generated', 'package.json'])
      await cp(entry, path.join(dir, entry), { recursive: true });
    await symlink(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    await appendFile(path.join(dir, 'generated/tavus/types.ts'), '\n// a hand edit\n');
    const { code, stderr } = await run(['generate', '--check'], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('generated/tavus/types.ts');
    expect(stderr).not.toContain('generated/dify/types.ts');
  });
});
