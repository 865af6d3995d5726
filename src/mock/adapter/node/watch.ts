/**
 * `tombstone serve --watch` (Mockoon's `--watch`, Prism's spec reload): a changed spec is regenerated and the
 * variants whose generated definition or validators changed are reloaded; a changed seed file reloads that
 * variant's state. A broken edit (a spec that does not bundle, an operation without a handler, a seed that is not
 * valid) keeps the last good version serving and says why. node:fs.watch on the two folders: no dependency, and
 * both are flat (editors replace files, which fs.watch reports as a rename of the file's name).
 */
import { type FSWatcher, readdirSync, rmdirSync, rmSync, watch } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OpenAPIV3 } from 'openapi-types';
import { GENERATED_DIR, SPEC_DIR } from '../../../project.js';
import type { MockApp } from '../../app.js';
import type { OperationValidators } from '../../types.js';
import { loadSeed } from './seeds.js';

/** A variant's generated definition and validators, freshly loaded. */
export interface GeneratedApi {
  definition: OpenAPIV3.Document;
  validators: Record<string, OperationValidators>;
}

export interface WatchOptions {
  /** The project: its openapi/ is watched, its generated/ rewritten. */
  root: string;
  /** The seed files' folder (<variant>.json). */
  seedDir: string;
  /** The variants served, by name. */
  variants: readonly string[];
  /** Writes generated/ afresh from the specs (src/designers/generate.ts); throws on a spec that does not build. */
  regenerate(root: string): Promise<unknown>;
  /** Serves `variant` with its new definition and validators, its state from its seed; throws to keep the old. */
  reloadSpec(variant: string, api: GeneratedApi): Promise<void>;
  /** Serves `variant` from its seed file again; throws (a TombstoneError saying why) to keep the old state. */
  reloadSeed(variant: string): Promise<void>;
  /** Where the lines saying what happened go. */
  log(line: string): void;
}

/** Editors write a file in several steps; a change is acted on once it has been quiet this long. */
const SETTLE_MS = 150;

/**
 * Starts watching; `close` stops and removes the copies of generated/ the reloads imported (so does the process's
 * exit). Changes are handled one at a time, in the order they settle.
 */
export function watchSources(options: WatchOptions): { close(): void } {
  const copies = new GeneratedCopies(options.root);
  const timers = new Map<string, NodeJS.Timeout>();
  let queue: Promise<void> = Promise.resolve();
  const settle = (key: string, action: () => Promise<void>) => {
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        queue = queue.then(action).catch((err: unknown) => options.log(`[tombstone] --watch: ${messageOf(err)}`));
      }, SETTLE_MS),
    );
  };
  let generation = 0;
  const specs = watch(path.join(options.root, SPEC_DIR), (_, file) => {
    if (file && /\.ya?ml$/.test(file)) settle('specs', () => specChanged(options, copies, file, ++generation));
  });
  const seeds = watch(options.seedDir, (_, file) => {
    const variant = file?.replace(/\.json$/, '');
    if (variant && file !== variant && options.variants.includes(variant)) {
      settle(`seed:${variant}`, () => seedChanged(options, variant));
    }
  });
  const watchers: FSWatcher[] = [specs, seeds];
  return {
    close() {
      for (const timer of timers.values()) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      copies.close();
    },
  };
}

async function specChanged(
  options: WatchOptions,
  copies: GeneratedCopies,
  file: string,
  generation: number,
): Promise<void> {
  const where = `${SPEC_DIR}/${file}`;
  const before = await fingerprints(options);
  try {
    await options.regenerate(options.root);
  } catch (err) {
    options.log(
      `[tombstone] ${where} changed but does not build: ${messageOf(err)}. Still serving the last good version.`,
    );
    return;
  }
  const after = await fingerprints(options);
  const changed = options.variants.filter((v) => before.get(v) !== after.get(v));
  if (changed.length === 0) {
    options.log(`[tombstone] ${where} changed: generated/ rewritten; no served variant's definition changed.`);
    return;
  }
  for (const variant of changed) {
    try {
      await copies.reload(variant, generation, (api) => options.reloadSpec(variant, api));
      options.log(
        `[tombstone] ${where} changed: generated/${variant}/ rewritten, ${variant} reloaded (state from its seed).`,
      );
    } catch (err) {
      options.log(`[tombstone] ${variant} not reloaded: ${messageOf(err)} Still serving the last good version.`);
    }
  }
}

async function seedChanged(options: WatchOptions, variant: string): Promise<void> {
  const file = path.join(options.seedDir, `${variant}.json`);
  try {
    await options.reloadSeed(variant);
    options.log(`[tombstone] ${file} changed: ${variant} reloaded from it (state reset to the new seed).`);
  } catch (err) {
    options.log(`[tombstone] ${file} changed but ${variant} kept its state: ${messageOf(err)}`);
  }
}

/** What identifies each served variant's generated code: its definition and validators, as text. */
async function fingerprints(options: WatchOptions): Promise<Map<string, string>> {
  const read = (variant: string, file: string) =>
    readFile(path.join(options.root, GENERATED_DIR, variant, file), 'utf8').catch(() => '');
  const entries = await Promise.all(
    options.variants.map(async (v) => {
      const parts = await Promise.all(
        ['definition.js', 'validators/params.js', 'validators/bodies.js'].map((f) => read(v, f)),
      );
      return [v, parts.join('\0')] as const;
    }),
  );
  return new Map(entries);
}

/**
 * The copies of generated/ that reloads import. ES modules are cached by URL for the life of the process, and
 * validators.js imports its parts by relative URL, so each reload copies a variant's files to a folder of its own,
 * under node_modules/.cache/tombstone-watch/<pid>/ (inside node_modules, so their `ajv/...` imports resolve; with a
 * package.json that makes them ES modules). A copy stays while its variant serves from it: the next reload of that
 * variant removes it, a failed reload removes its own, and `close` (or the process's exit) removes the folder. A
 * process that could not (killed, crashed) leaves its folder to the next one to start, which removes it.
 */
class GeneratedCopies {
  private readonly dir: string;
  /** Variant → the copy it serves from. */
  private readonly serving = new Map<string, string>();
  private closed = false;
  private readonly onExit = () => this.close();

  constructor(private readonly root: string) {
    const parent = path.join(root, 'node_modules', '.cache', 'tombstone-watch');
    this.dir = path.join(parent, String(process.pid));
    process.once('exit', this.onExit);
    removeOrphans(parent);
  }

  /** Imports `variant`'s just-written generated/ code from a fresh copy and hands it to `use` (which may throw). */
  async reload(variant: string, generation: number, use: (api: GeneratedApi) => Promise<void>): Promise<void> {
    const copy = path.join(this.dir, `${generation}-${variant}`);
    let served = false;
    try {
      const api = await this.load(variant, copy);
      if (!this.closed) {
        await use(api);
        served = true;
      }
    } finally {
      // A failed reload's copy goes; if `close` came while this reload ran, whatever it wrote goes too.
      if (this.closed) this.remove();
      else if (!served) await rm(copy, { recursive: true, force: true });
    }
    if (this.closed) return;
    const previous = this.serving.get(variant);
    this.serving.set(variant, copy);
    if (previous) await rm(previous, { recursive: true, force: true });
  }

  private async load(variant: string, copy: string): Promise<GeneratedApi> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(path.join(this.dir, 'package.json'), '{"type":"module"}\n');
    await cp(path.join(this.root, GENERATED_DIR, variant), copy, { recursive: true });
    const url = (file: string) => pathToFileURL(path.join(copy, file)).href;
    const definition = ((await import(url('definition.js'))) as { default: OpenAPIV3.Document }).default;
    const { operations } = (await import(url('validators.js'))) as { operations: GeneratedApi['validators'] };
    return { definition, validators: operations };
  }

  close(): void {
    this.closed = true;
    process.removeListener('exit', this.onExit);
    this.remove();
  }

  /** Synchronous: it also runs on `exit`, which waits for nothing. */
  private remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    // tombstone-watch/ itself, unless another process has copies in it (ENOTEMPTY) or it is gone already.
    try {
      rmdirSync(path.dirname(this.dir));
    } catch {}
  }
}

/**
 * Removes the copies of processes that are gone: folders named by a process ID (`<pid>-<generation>`, the layout
 * before `<pid>/`, too) whose process no longer runs.
 */
function removeOrphans(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // no copies yet
    throw err;
  }
  for (const name of names) {
    const pid = /^(\d+)(?:-\d+)?$/.exec(name)?.[1];
    if (pid && !isRunning(Number(pid))) rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** Signal 0 tests for a process without signalling it; EPERM: it runs, as another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/^\[tombstone\] /, '');
}

/** `--watch` for a running mock: specs in `root`/openapi (regenerated with the designers' generator), seeds in `seedDir`. */
export function watchMock(app: MockApp, root: string, seedDir: string, log: (line: string) => void): { close(): void } {
  const runtime = (name: string) => app.runtimes.get(name)!;
  return watchSources({
    root,
    seedDir,
    variants: [...app.runtimes.keys()],
    // Loaded on first use: the generator pulls in Redocly and openapi-typescript, which serving does not need.
    regenerate: async (dir) => (await import('../../../designers/generate.js')).writeGenerated(dir),
    reloadSpec: (name, api) => app.replaceVariant({ ...runtime(name).variant, ...api }, runtime(name).seed),
    reloadSeed: async (name) =>
      app.replaceVariant(runtime(name).variant, await loadSeed(seedDir, runtime(name).variant)),
    log,
  });
}
