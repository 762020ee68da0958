import { describeValue } from './describe-value.js';

/**
 * The names of every option of `T`, one key each. Written as an object
 * rather than a list so that an option added to `T` and forgotten here
 * fails to compile instead of being refused at run time.
 *
 * @example
 * ```ts
 * const names: OptionNames<MemoryOptions> = { pageSize: true };
 * ```
 */
export type OptionNames<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Refuses an `options` argument that is not an object, or that has a key
 * `known` does not list: a misspelt option (`pagesize`) would otherwise be
 * ignored without a word. Throws a `TypeError` naming the key, as the
 * adapters' other option checks do. `undefined` passes (no options).
 *
 * @example
 * ```ts
 * checkOptions({ pageSize: 10 }, { pageSize: true }); // passes
 * checkOptions({ bogus: 1 }, { pageSize: true }); // TypeError: options.bogus is not an option (the options are: pageSize)
 * ```
 */
export function checkOptions<T>(options: unknown, known: OptionNames<T>): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`options must be an object (got ${describeValue(options)})`);
  }
  const names = Object.keys(known);
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(known, key)) continue;
    const near = names.find((name) => name.toLowerCase() === key.toLowerCase());
    throw new TypeError(
      `options.${key} is not an option (${near ? `did you mean ${near}? ` : ''}the options are: ${names.join(', ') || 'none'})`,
    );
  }
}
