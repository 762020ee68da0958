/** Exit codes of the `hume` command. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * A failure the command reports as one line: a stable `code`, what went
 * wrong, and what to do about it. `exitCode` is 1, or 2 for usage errors.
 *
 * @example
 * ```ts
 * throw new CliError('NOT_FOUND', 'no such file: events.db', 'check the path, or create it with hume append');
 * ```
 */
export class CliError extends Error {
  readonly code: string;
  readonly hint: string;
  readonly exitCode: number;

  constructor(code: string, message: string, hint = '', exitCode = EXIT_FAILED) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** A bad command line: exit code 2. */
export function usageError(message: string, hint = 'see hume --help'): CliError {
  return new CliError('USAGE', message, hint, EXIT_USAGE);
}

const hints: Readonly<Record<string, string>> = {
  BACKEND: 'check that the database is reachable, the URL is right and you may read and write it',
  INVALID_ARGUMENT: 'fix the argument named above; --help shows examples',
  UNEXPECTED_SEQ: 'read the stream and retry with --expect set to its last seq',
  CLOSED: 'this is a bug in hume: please report it',
};

/**
 * The one line the command prints for a failure: `hume: CODE: message (what to do)`.
 *
 * @example
 * ```ts
 * formatError(new CliError('NOT_FOUND', 'no such file: x.db', 'check the path')); // 'hume: NOT_FOUND: no such file: x.db (check the path)'
 * ```
 */
export function formatError(error: unknown): string {
  const { code, message, hint } = describeFailure(error);
  const line = `hume: ${code}: ${message.replace(/\s*\n\s*/g, ' ')}`;
  return hint ? `${line} (${hint})` : line;
}

/** The code, message and hint of any thrown value. */
export function describeFailure(error: unknown): { code: string; message: string; hint: string } {
  if (error instanceof CliError) return { code: error.code, message: error.message, hint: error.hint };
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  return { code, message, hint: hints[code] ?? '' };
}

/** The exit code for a thrown value. */
export function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : EXIT_FAILED;
}
