import { describeValue } from './describe-value.js';
import { InvalidArgumentError } from './invalid-argument-error.js';

/**
 * Checks the options of `streams()` (clause C12.4): an object or
 * `undefined`; `prefix` and `after` well-formed strings, `limit` a
 * non-negative safe integer, each optional. Returns the first problem, or
 * `undefined`.
 *
 * @example
 * ```ts
 * checkStreamsOptions({ limit: -1 }); // InvalidArgumentError: options.limit must be a non-negative safe integer (got -1)
 * ```
 */
export function checkStreamsOptions(options: unknown): InvalidArgumentError | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return new InvalidArgumentError('options', `must be an object or undefined (got ${describeValue(options)})`);
  }
  const { prefix, after, limit } = options as Record<string, unknown>;
  for (const [name, value] of [
    ['prefix', prefix],
    ['after', after],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string') return new InvalidArgumentError('options', `must be a string (got ${describeValue(value)})`, `.${name}`);
    if (!value.isWellFormed()) {
      return new InvalidArgumentError(
        'options',
        `must be well-formed Unicode (got ${describeValue(value)}, which has a lone surrogate)`,
        `.${name}`,
      );
    }
  }
  if (limit !== undefined && !(Number.isSafeInteger(limit) && (limit as number) >= 0)) {
    return new InvalidArgumentError('options', `must be a non-negative safe integer (got ${describeValue(limit)})`, '.limit');
  }
  return undefined;
}
