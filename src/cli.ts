#!/usr/bin/env node
/**
 * The tombstone CLI. Each command is a module in commands/ exporting `usage` and `run(args)`.
 * One error wrapper: expected errors print one line ("Failed to X: reason. Try Y.") and exit 1, usage errors
 * exit 2, anything unexpected prints its stack and says it is a bug (Redocly CLI's convention).
 */
import { TargetError, TombstoneError, UsageError } from './errors.js';

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
  contract: () => import('./cli/commands/contract.js'),
  proxy: () => import('./cli/commands/proxy.js'),
};

async function usage(): Promise<string> {
  const lines = await Promise.all(Object.values(COMMANDS).map(async (load) => `  ${(await load()).usage}`));
  return `Usage: tombstone <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nExit codes: 0 ok, 1 failed, 2 usage error.`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name = 'serve', ...rest] = argv[0] === undefined || argv[0].startsWith('-') ? ['serve', ...argv] : argv;
  try {
    if (name === 'help' || rest.includes('--help') || rest.includes('-h')) {
      console.log(await usage());
      return 0;
    }
    const load = COMMANDS[name];
    if (!load) throw new UsageError(`unknown command '${name}'`);
    return await (await load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${await usage()}`);
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

process.exitCode = await runCli(process.argv.slice(2));
