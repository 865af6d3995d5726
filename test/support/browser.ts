/**
 * The Chromium the browser tests drive through playwright-core (never `npx playwright install`). Found in this order:
 *   1. `CHROMIUM`: a path to a Chromium or Chrome binary;
 *   2. a system one: chromium, chromium-browser, google-chrome(-stable) on PATH, or /usr/bin/<name>;
 *   3. the one the devDependency @sparticuz/chromium ships (a headless shell, unpacked once per version into the
 *      temporary directory), so `npm ci && npm test` needs no apt step.
 * `TOMBSTONE_BROWSER=bundled` skips 1 and 2 (how CI proves the npm-shipped one works). When none is found the tests
 * fail with one line saying how to provide one; they never skip.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const SPARTICUZ = '@sparticuz/chromium';
const PROVIDE = `set CHROMIUM=/path/to/chromium, install a system chromium, or run \`npm ci\` to get ${SPARTICUZ}`;
/** No sandbox (tests run as root in CI), nothing that calls home. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function systemChromium(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean), '/usr/bin'];
  for (const name of SYSTEM_NAMES) {
    const found = dirs.map((dir) => path.join(dir, name)).find(executable);
    if (found) return found;
  }
  return undefined;
}

/**
 * @sparticuz/chromium unpacks into os.tmpdir() and trusts any file already there, so two test files unpacking at
 * once could launch a half-written binary. It unpacks here in a child process with its own TMPDIR, which is then
 * renamed into place in one step; whoever renames first wins and the other's copy is dropped.
 */
async function bundledChromium(): Promise<string> {
  const require = createRequire(import.meta.url);
  let main: string;
  try {
    main = require.resolve(SPARTICUZ);
  } catch {
    throw new Error(`[tombstone] no Chromium for the browser tests and ${SPARTICUZ} is not installed: ${PROVIDE}`);
  }
  // Its `exports` hides its package.json, which names the version (one unpacked copy per version): walk up to it.
  const manifest = (dir: string): { name?: string; version?: string } => {
    const file = path.join(dir, 'package.json');
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  };
  let dir = path.dirname(main);
  while (manifest(dir).name !== SPARTICUZ && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const version = manifest(dir).version ?? 'unknown';
  if (process.platform !== 'linux') {
    throw new Error(
      `[tombstone] ${SPARTICUZ} ships a Linux Chromium only (this is ${process.platform}): ` +
        'set CHROMIUM=/path/to/chrome or install Chrome',
    );
  }
  const home = path.join(tmpdir(), `tombstone-sparticuz-chromium-${version}`);
  const binary = path.join(home, 'chromium');
  if (existsSync(binary)) return binary;
  const scratch = await mkdtemp(`${home}-`);
  const script = `require(${JSON.stringify(main)}).executablePath().catch((e) => { console.error(e); process.exit(1); })`;
  try {
    execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: scratch }, stdio: 'inherit' });
  } catch {
    await rm(scratch, { recursive: true, force: true });
    throw new Error(`[tombstone] ${SPARTICUZ} could not unpack its Chromium (its error is above): ${PROVIDE}`);
  }
  await rename(scratch, home).catch(() => rm(scratch, { recursive: true, force: true }));
  return binary;
}

/** The path of the Chromium to launch, in the order above. */
async function findChromium(): Promise<string> {
  const forced = process.env['TOMBSTONE_BROWSER'] || undefined;
  if (forced !== undefined && forced !== 'bundled') {
    throw new Error(`[tombstone] TOMBSTONE_BROWSER=${forced} is not known: use 'bundled' (${SPARTICUZ}) or unset it`);
  }
  if (forced !== 'bundled') {
    const given = process.env['CHROMIUM'];
    if (given) {
      if (!executable(given)) {
        throw new Error(
          `[tombstone] CHROMIUM=${given} is not an executable file: point it at a Chromium or ` +
            'Chrome binary, or unset it to use a system or the npm-shipped one',
        );
      }
      return given;
    }
    const system = systemChromium();
    if (system) return system;
  }
  return bundledChromium();
}

/** A headless Chromium, from wherever findChromium finds one. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = await findChromium();
  return chromium.launch({ executablePath, headless: true, args: ARGS });
}

/** The same with a user profile, which browser permissions (the clipboard) need. */
export async function launchPersistentChromium(profile: string): Promise<BrowserContext> {
  const executablePath = await findChromium();
  return chromium.launchPersistentContext(profile, { executablePath, headless: true, args: ARGS });
}
