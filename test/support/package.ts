/**
 * The package as a user gets it, for test/package.test.ts: `npm pack` (its prepack runs `npm run build`), then the
 * tarball installed into an empty temporary project with what a frontend team adds beside it.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};

export interface Packed {
  /** The tarball's path. */
  file: string;
  /** Bytes, compressed. */
  size: number;
  files: string[];
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A command's exit code and output; a failing one does not throw. */
export async function run(command: string, args: string[], cwd: string): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number | string; stdout?: string; stderr?: string };
    if (typeof e.code === 'string') throw err; // the command itself is missing (ENOENT): the test cannot run
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** `npm pack` of this repository into `dir`. */
export async function pack(dir: string): Promise<Packed> {
  const { code, stdout, stderr } = await run('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
  if (code !== 0) throw new Error(`npm pack failed (${code}): ${stderr}`);
  // The build's output (prepack) comes first; npm's JSON report last.
  const [report] = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[\n') + 1)) as {
    filename: string;
    size: number;
    files: { path: string }[];
  }[];
  return { file: path.join(dir, report!.filename), size: report!.size, files: report!.files.map((f) => f.path) };
}

/** What the temporary project installs beside tombstone, at the versions this repository tests (@types/node: the
 * declarations of `tombstone`, a Node API, name node:http). */
export const COMPANIONS = ['msw', 'openapi-fetch', 'typescript', '@types/node'].map(
  (name) => `${name}@${manifest.devDependencies[name]}`,
);

/**
 * An empty ESM project with the tarball and COMPANIONS installed, and what npm said (its warnings). Offline-friendly:
 * npm's cache answers what `npm ci` of this repository already fetched.
 */
export async function installInto(tarball: string): Promise<{ project: string; npmOutput: string }> {
  const project = await mkdtemp(path.join(tmpdir(), 'tombstone-user-'));
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...COMPANIONS];
  const result = await run('npm', args, project);
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return { project, npmOutput: result.stdout + result.stderr };
}

export const VERSION = manifest.version;
