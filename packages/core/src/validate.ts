import type { EventStore } from './event-store.js';
import { InvalidModuleError } from './invalid-module-error.js';

/** What `validate` resolves a candidate to. */
export type ValidateResult = { readonly ok: true } | { readonly ok: false; readonly error: InvalidModuleError };

/**
 * Checks that `candidate` has the contract's functions: `append` and
 * `events`, and `close` when present. A capability of 1.1 (`appendMany`,
 * `feed`, …) is declared by a method of its name; a field of that name that
 * is not a function does not declare it and is not refused. It looks at
 * shape only; behaviour is what `@hume/conformance` checks.
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
    // `close` is 1.0's optional member: there, it must be a function. The capabilities of 1.1
    // (appendMany, feed, streams, snapshots, checkpoints) are declared by a method of that name;
    // anything else under such a name is a 1.0 store's own field (a Map named `streams`, say),
    // which must not stop a 1.0 store from conforming: it just does not declare the capability.
    if (store.close !== undefined && typeof store.close !== 'function') {
      problems.push(`close must be a function when present (got ${typeof store.close})`);
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
