/** `tombstone serve` as a user runs it: a child process, ready once its banner names the origin it listens on. */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ServeProcess {
  origin: string;
  /** Everything the banner printed. */
  banner: string;
  pid: number;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * `cli`: the entry point to run, bin/tombstone.js (the sources through tsx) unless a build's or an installed
 * package's is given; `cwd`: the folder it runs in.
 */
export async function spawnServe(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cli = 'bin/tombstone.js',
  cwd?: string,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.resolve(cli), 'serve', ...args], {
    env,
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const banner = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      // The control API's line comes last.
      if (/^ {2}control /m.test(out)) resolve(out);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before its banner: ${out}`)));
  });
  const origin = /listening on (http:\/\/\S+)/.exec(banner)![1]!;
  return { origin, banner, pid: child.pid!, exited, kill: (signal) => child.kill(signal) };
}

/** A copy of the package to edit (specs, seeds, generated/), sharing our node_modules; run its bin/tombstone.js. */
export async function packageCopy(prefix: string): Promise<string> {
  const pkg = await mkdtemp(path.join(tmpdir(), prefix));
  for (const entry of ['bin', 'src', 'openapi', 'generated', 'mocks', 'package.json', 'tsconfig.json']) {
    await cp(entry, path.join(pkg, entry), { recursive: true });
  }
  await symlink(path.resolve('node_modules'), path.join(pkg, 'node_modules'));
  return pkg;
}
