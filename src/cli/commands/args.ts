/** Argument parsing for every command: node's util.parseArgs, with its errors turned into usage errors (exit 2). */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../../errors.js';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (err) {
    const unknown = /^Unknown option '([^']+)'/.exec((err as Error).message);
    if (!unknown) throw new UsageError((err as Error).message);
    const known = Object.keys(options).map((name) => `--${name}`);
    throw new UsageError(
      `Unknown option '${unknown[1]}'; ${known.length > 0 ? `the options are ${known.join(', ')}` : 'it takes none'}.`,
    );
  }
}
