import { InvalidArgumentError } from 'commander';

/**
 * Commander's parser of a whole-number option: digits only, at most
 * `Number.MAX_SAFE_INTEGER`, at least `min`. A bad value is a usage error.
 *
 * @example
 * ```ts
 * new Option('--limit <n>').argParser(wholeNumber(1));
 * ```
 */
export function wholeNumber(min = 0): (text: string) => number {
  return (text) => {
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min)
      throw new InvalidArgumentError(`must be a whole number of at least ${min} (got ${JSON.stringify(text)}).`);
    return value;
  };
}
