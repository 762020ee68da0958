import type { EventStore } from './event-store.js';
import { InvalidModuleError } from './invalid-module-error.js';

/** What `validate` resolves a candidate to. */
export type ValidateResult = { readonly ok: true } | { readonly ok: false; readonly error: InvalidModuleError };

/**
 * Checks that `candidate` has the contract's functions: `append` and
 * `events`, and, when present, the optional `appendMany` and `close`. It
 * looks at shape only; behaviour is what `@hume/conformance` checks.
 *
 * @example
 * ```ts
 * const result = validate(await import('./my-store.js').then((m) => m.default()));
 * if (!result.ok) console.error(result.error.problems);
 * ```
 */
export function validate(candidate: unknown): ValidateResult {
  const problems: string[] = [];
  if (typeof candidate !== 'object' || candidate === null) {
    problems.push(`expected an object with append and events (got ${candidate === null ? 'null' : typeof candidate})`);
  } else {
    const store = candidate as Record<string, unknown>;
    for (const name of ['append', 'events'] as const) {
      if (store[name] === undefined) problems.push(`${name} is missing`);
      else if (typeof store[name] !== 'function') problems.push(`${name} must be a function (got ${typeof store[name]})`);
    }
    // Optional members: a store declares a capability by having the method.
    for (const name of [
      'appendMany',
      'close',
      'feed',
      'streams',
      'saveSnapshot',
      'loadSnapshot',
      'saveCheckpoint',
      'loadCheckpoint',
    ] as const) {
      if (store[name] !== undefined && typeof store[name] !== 'function') {
        problems.push(`${name} must be a function when present (got ${typeof store[name]})`);
      }
    }
  }
  return problems.length === 0 ? { ok: true } : { ok: false, error: new InvalidModuleError(problems) };
}

/**
 * A type guard over {@link validate}.
 *
 * @example
 * ```ts
 * if (isEventStore(candidate)) await candidate.append('s', {});
 * ```
 */
export function isEventStore(candidate: unknown): candidate is EventStore {
  return validate(candidate).ok;
}
