/**
 * The CLI's expected failures. Anything else that reaches the top is a bug (see `runCli` in cli.ts).
 * Exit codes follow Redocly CLI: 0 ok, 1 a check failed, 2 a usage error.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** "Failed to X: reason. Try Y." — printed as one line, exit 1. */
export class CliError extends Error {
  readonly exitCode = 1;
}
