import { describeValue } from './describe-value.js';
import { type ArgumentName, InvalidArgumentError } from './invalid-argument-error.js';

/**
 * Checks `expect` (clause C7.2): `null`, `undefined` or a non-negative safe
 * integer. Nothing is coerced: `'1'`, `1.5` and `NaN` are refused.
 *
 * @example
 * ```ts
 * checkExpect('1'); // InvalidArgumentError: expect must be null, undefined or a non-negative safe integer (got "1")
 * ```
 */
export function checkExpect(expect: unknown): InvalidArgumentError | undefined {
  if (expect === null || expect === undefined || isSeq(expect)) return undefined;
  return seqError('expect', 'null, undefined or a non-negative safe integer', expect);
}

/**
 * Checks `from` (clause C7.3): `undefined` (meaning 0) or a non-negative safe
 * integer.
 *
 * @example
 * ```ts
 * checkFrom(-1); // InvalidArgumentError: from must be a non-negative safe integer (got -1)
 * ```
 */
export function checkFrom(from: unknown): InvalidArgumentError | undefined {
  if (from === undefined || isSeq(from)) return undefined;
  return seqError('from', 'a non-negative safe integer', from);
}

/**
 * Tells whether `value` is a valid seq: a non-negative safe integer.
 *
 * @example
 * ```ts
 * isSeq(3); // true
 * isSeq(1.5); // false
 * ```
 */
export function isSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function seqError(argument: ArgumentName, requirement: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(argument, `must be ${requirement} (got ${describeValue(value)})`);
}
