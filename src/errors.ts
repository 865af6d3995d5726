/**
 * tombstone's expected errors: what library code throws when the input, the environment or a spec is wrong, never
 * when tombstone itself is. Each message is one line, `[tombstone] ` + what happened + what to do next (MSW's
 * style). Only the CLI turns them into exit codes (Redocly's commandWrapper): a UsageError 2, a TargetError 3, any
 * other TombstoneError 1. Anything else that reaches the CLI is a bug, printed with its stack.
 */
const PREFIX = '[tombstone] ';

export class TombstoneError extends Error {
  override name = 'TombstoneError';
  constructor(message: string, options?: ErrorOptions) {
    super(message.startsWith(PREFIX) ? message : `${PREFIX}${message}`, options);
  }
}

/** The caller asked for something that is not there or not allowed: an unknown flag, variant or value. */
export class UsageError extends TombstoneError {
  override name = 'UsageError';
}

/** The server under test could not be reached or prepared: nothing was learnt about its contract. */
export class TargetError extends TombstoneError {
  override name = 'TargetError';
}
