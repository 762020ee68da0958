/**
 * The optional checkpoint capability of clause C15: a named feed position
 * (C13), saved and loaded whole, so that a consumer of the feed resumes
 * where it stopped, from any process. Stores without it conform all the
 * same; check with {@link canStoreCheckpoints}.
 *
 * @example
 * ```ts
 * await store.saveCheckpoint('balances', position);
 * const resumeAfter = await store.loadCheckpoint('balances'); // the position, or undefined
 * ```
 */
export interface CheckpointStorage {
  /**
   * Stores `position` as the checkpoint `name`, replacing the one there.
   * A bad argument rejects with code `INVALID_ARGUMENT` and stores nothing.
   *
   * @example
   * ```ts
   * await store.saveCheckpoint('balances', position);
   * ```
   */
  saveCheckpoint(name: string, position: string): Promise<void>;
  /**
   * The position saved last as `name`, or `undefined`.
   *
   * @example
   * ```ts
   * for await (const event of store.feed(await store.loadCheckpoint('balances'))) apply(event);
   * ```
   */
  loadCheckpoint(name: string): Promise<string | undefined>;
}

/**
 * Tells whether `store` has the checkpoint capability (clause C15).
 *
 * @example
 * ```ts
 * if (canStoreCheckpoints(store)) await store.saveCheckpoint('balances', position);
 * ```
 */
export function canStoreCheckpoints<S extends object>(store: S): store is S & CheckpointStorage {
  const candidate = store as Partial<CheckpointStorage>;
  return typeof candidate.saveCheckpoint === 'function' && typeof candidate.loadCheckpoint === 'function';
}
