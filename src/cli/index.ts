#!/usr/bin/env node
/**
 * The tombstone CLI. Each command is a module in commands/ exporting `usage` and `run(args)`: it parses flags,
 * calls library code (src/designers/, the mock, the contract runner), prints and returns an exit code. Commands
 * load heavy libraries when they run, so `help` and `--version` load none.
 *
 * The one place that maps errors to exit codes (Redocly CLI's commandWrapper): a UsageError prints its line and
 * the `--help` hint, exit 2; a TargetError its line, exit 3; any other TombstoneError its line, exit 1; anything
 * else is a bug in tombstone: its stack and a request to report it, exit 1.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TargetError, TombstoneError, UsageError } from '../errors.js';
import { PACKAGE_ROOT } from '../project.js';

interface Command {
  usage: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: () => import('./commands/serve.js'),
  generate: () => import('./commands/generate.js'),
  check: () => import('./commands/check.js'),
  docs: () => import('./commands/docs.js'),
  diff: () => import('./commands/diff.js'),
  contract: () => import('./commands/contract.js'),
  proxy: () => import('./commands/proxy.js'),
};

const EXIT_CODES = 'Exit codes: 0 ok, 1 failed, 2 usage error, 3 target unreachable.';

async function help(): Promise<string> {
  const lines = await Promise.all(Object.values(COMMANDS).map(async (load) => `  ${(await load()).usage}`));
  const intro = 'Usage: tombstone <command> [options]   (tombstone <command> --help: one command)';
  return `${intro}\n\nCommands:\n${lines.join('\n')}\n\n${EXIT_CODES}`;
}

function version(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function runCli(argv: string[]): Promise<number> {
  const [first] = argv;
  if (first === '--version' || first === '-v') {
    console.log(version());
    return 0;
  }
  if (first === 'help' || first === '--help' || first === '-h') {
    console.log(await help());
    return 0;
  }
  // No command, or options only: `serve`, the default.
  const [name = 'serve', ...rest] = first === undefined || first.startsWith('-') ? ['serve', ...argv] : argv;
  const load = COMMANDS[name];
  if (!load) {
    const names = Object.keys(COMMANDS).join(', ');
    console.error(`[tombstone] Unknown command '${name}'; the commands are ${names}. Run \`tombstone help\`.`);
    return 2;
  }
  try {
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(`Usage: tombstone ${name} [options]\n\n  ${command.usage}\n\n${EXIT_CODES}`);
      return 0;
    }
    return await command.run(rest);
  } catch (thrown) {
    const err = missingPackage(thrown, name) ?? thrown;
    if (err instanceof UsageError) {
      const stop = /[.!?]$/.test(err.message) ? '' : '.';
      console.error(`${err.message}${stop} Run \`tombstone ${name} --help\`.`);
      return 2;
    }
    if (err instanceof TombstoneError) {
      console.error(err.message);
      return err instanceof TargetError ? 3 : 1;
    }
    console.error(err);
    console.error('\nThis is a bug in tombstone: please report it with the command you ran and the output above.');
    return 1;
  }
}

/**
 * The designer tools are optional peer dependencies of the package, loaded only by the commands that use them: a
 * missing one is the user's to install, not a bug.
 */
function missingPackage(err: unknown, command: string): TombstoneError | undefined {
  const name =
    (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
    /^Cannot find package '([^']+)'/.exec((err as Error).message)?.[1];
  if (!name) return undefined;
  return new TombstoneError(
    `\`tombstone ${command}\` needs ${name}, which is not installed. Run \`npm i -D ${name}\`.`,
  );
}

process.exitCode = await runCli(process.argv.slice(2));
