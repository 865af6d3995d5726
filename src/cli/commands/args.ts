/** Argument parsing for every command: node's util.parseArgs, with its errors turned into usage errors (exit 2). */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../../errors.js';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
