import type { AppendError } from './append-result.js';
import { isHumeError } from './hume-error.js';

/**
 * The `{ ok: false, error }` outcome an adapter's `append` returns for a
 * contract outcome: an `UnexpectedSeqError` or an `InvalidArgumentError`.
 * Any other error (a `BackendError`, a `StoreClosedError`) is rejected, not
 * returned, so handing one here throws a `TypeError`.
 *
 * @example
 * ```ts
 * const invalid = checkAppend(stream, payload, expect);
 * if (invalid) return failure(invalid);
 * if (expect != null && expect !== last) return failure(new UnexpectedSeqError(stream, expect, last));
 * ```
 */
export function failure(error: AppendError): { readonly ok: false; readonly error: AppendError } {
  const given: unknown = error;
  if (!isHumeError(given, 'UNEXPECTED_SEQ') && !isHumeError(given, 'INVALID_ARGUMENT')) {
    throw new TypeError(
      `failure takes an error with code UNEXPECTED_SEQ or INVALID_ARGUMENT (got ${isHumeError(given) ? `code ${given.code}: reject it instead` : String(given)})`,
    );
  }
  return { ok: false, error };
}
