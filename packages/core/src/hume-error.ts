/**
 * The stable codes of every error Hume reports. Match on these, never on
 * `instanceof`: two copies of `@hume/core` may be installed side by side.
 */
export type HumeErrorCode = 'UNEXPECTED_SEQ' | 'INVALID_ARGUMENT' | 'BACKEND' | 'CLOSED' | 'INVALID_MODULE';

const codes: ReadonlySet<string> = new Set<HumeErrorCode>(['UNEXPECTED_SEQ', 'INVALID_ARGUMENT', 'BACKEND', 'CLOSED', 'INVALID_MODULE']);

/**
 * The base of every Hume error: an `Error` with a stable `code`.
 *
 * @example
 * ```ts
 * throw new HumeError('BACKEND', 'the database is locked', { cause: driverError });
 * ```
 */
export class HumeError extends Error {
  readonly code: HumeErrorCode;

  constructor(code: HumeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HumeError';
    this.code = code;
  }
}

/**
 * Tells whether `value` is a Hume error, optionally of one `code`. Works
 * across copies of the package because it checks the code, not the class.
 *
 * @example
 * ```ts
 * try { await store.append('s', {}) } catch (e) { if (isHumeError(e, 'BACKEND')) log(e.cause) }
 * ```
 */
export function isHumeError(value: unknown, code?: HumeErrorCode): value is HumeError {
  if (!(typeof value === 'object' && value !== null && 'code' in value)) return false;
  const actual = (value as { code: unknown }).code;
  return typeof actual === 'string' && codes.has(actual) && (code === undefined || actual === code);
}
