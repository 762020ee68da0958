import { checkName } from './check-name.js';
import { describeValue } from './describe-value.js';
import { InvalidArgumentError } from './invalid-argument-error.js';

/** The longest position a checkpoint holds, in characters (printable ASCII, so bytes too). */
export const MAX_POSITION_LENGTH = 1024;

const printableAscii = /^[\x20-\x7e]+$/;

/**
 * Checks the arguments of `saveCheckpoint` (clause C15.3): `name` under the
 * rules of a stream name, `position` a non-empty string of printable ASCII
 * of at most 1024 characters, the shape of every feed position (C13.4).
 * Pass no position to check `loadCheckpoint`'s name alone.
 *
 * @example
 * ```ts
 * checkCheckpoint('balances', ''); // InvalidArgumentError: position must be a non-empty string of printable ASCII …
 * ```
 */
export function checkCheckpoint(name: unknown, ...position: [unknown?]): InvalidArgumentError | undefined {
  const problem = checkName(name);
  if (problem || position.length === 0) return problem;
  const [value] = position;
  if (typeof value !== 'string' || !printableAscii.test(value) || value.length > MAX_POSITION_LENGTH) {
    return new InvalidArgumentError(
      'position',
      `must be a non-empty string of printable ASCII of at most ${MAX_POSITION_LENGTH} characters, as the feed gives them (got ${describeValue(value)})`,
    );
  }
  return undefined;
}
