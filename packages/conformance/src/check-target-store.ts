import { validate } from '@hume/core';
import { type AnyEventStore, type Target, targetObject } from './target.js';

/**
 * Creates one store from `target`, checks its shape with `validate` from
 * `@hume/core` and disposes of it. Returns what is wrong, or `undefined`
 * when the store has the contract's functions, or when creating it failed
 * or took longer than `timeoutMs` (the cases then report that, each with
 * its own message). Without this check a store that lacks `events` fails
 * every case, each for the same reason.
 *
 * @example
 * ```ts
 * const problem = await checkTargetStore({ create: () => ({ append: async () => ({ ok: true, seq: 1 }) }) }, 1_000);
 * // 'its store is not an event store: events is missing'
 * ```
 */
export async function checkTargetStore(target: Target, timeoutMs: number): Promise<string | undefined> {
  const hooks = targetObject(target);
  let timer: NodeJS.Timeout | undefined;
  let store: AnyEventStore;
  try {
    store = await Promise.race([
      Promise.resolve(hooks.create()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
  const result = validate(store);
  try {
    await (hooks.dispose ? hooks.dispose(store) : typeof store?.close === 'function' ? store.close() : undefined);
  } catch {
    // The store is thrown away either way; a case that disposes of one reports a failing dispose.
  }
  return result.ok ? undefined : `its store is not an event store: ${result.error.problems.join('; ')}`;
}
