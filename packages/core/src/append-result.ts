import type { InvalidArgumentError } from './invalid-argument-error.js';
import type { Seq } from './seq.js';
import type { UnexpectedSeqError } from './unexpected-seq-error.js';

/**
 * What `append` resolves to. Contract outcomes are values, never throws:
 * success carries the assigned seq, failure a typed error whose `code` is
 * `UNEXPECTED_SEQ` or `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * const result = await store.append('cart-1', { type: 'opened' }, 0);
 * if (!result.ok && result.error.code === 'UNEXPECTED_SEQ') retry(result.error.actual);
 * ```
 */
export type AppendResult = { readonly ok: true; readonly seq: Seq } | { readonly ok: false; readonly error: AppendError };

/** The errors `append` returns (rather than throws). */
export type AppendError = UnexpectedSeqError | InvalidArgumentError;
