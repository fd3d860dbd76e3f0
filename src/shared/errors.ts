/**
 * Errors the CLI turns into one line and an exit code. Anything else that escapes is a bug
 * and is reported as such (still one line, exit 1).
 */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

/** A scenario, gate or result file that is wrong: names the file and field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly exitCode = 2;
}

/** Something outside our control failed (missing binary, target hung or crashed). */
export class RunError extends Error {
  override name = 'RunError';
  readonly exitCode = 1;
}
