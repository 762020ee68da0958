import type { Json } from './json.js';
import type { Seq } from './seq.js';

/**
 * A projection's state at a seq of a stream (clause C14): what `evolve`
 * gave after the event at `seq`, by the projection's `version`.
 *
 * @example
 * ```ts
 * const snapshot: Snapshot = { version: 2, seq: 9_000, state: { balance: 120 } };
 * ```
 */
export interface Snapshot {
  readonly version: number;
  readonly seq: Seq;
  readonly state: Json;
}

/**
 * The optional snapshot capability of clause C14: one snapshot per stream
 * and projection name, saved and loaded whole. Stores without it conform
 * all the same; check with {@link canStoreSnapshots}.
 *
 * @example
 * ```ts
 * await store.saveSnapshot('account-1', 'balance', { version: 1, seq: 500, state: { balance: 12 } });
 * const snapshot = await store.loadSnapshot('account-1', 'balance'); // { version: 1, seq: 500, state: { balance: 12 } }
 * ```
 */
export interface SnapshotStorage {
  /**
   * Stores `snapshot` for (`stream`, `name`), replacing the one there.
   * A bad argument rejects with code `INVALID_ARGUMENT` and stores nothing.
   *
   * @example
   * ```ts
   * await store.saveSnapshot('account-1', 'balance', { version: 1, seq: 500, state: { balance: 12 } });
   * ```
   */
  saveSnapshot(stream: string, name: string, snapshot: Snapshot): Promise<void>;
  /**
   * The snapshot saved last for (`stream`, `name`), or `undefined`.
   *
   * @example
   * ```ts
   * const snapshot = await store.loadSnapshot('account-1', 'balance');
   * ```
   */
  loadSnapshot(stream: string, name: string): Promise<Snapshot | undefined>;
}

/**
 * Tells whether `store` has the snapshot capability (clause C14).
 *
 * @example
 * ```ts
 * if (canStoreSnapshots(store)) await store.saveSnapshot('account-1', 'balance', snapshot);
 * ```
 */
export function canStoreSnapshots<S extends object>(store: S): store is S & SnapshotStorage {
  const candidate = store as Partial<SnapshotStorage>;
  return typeof candidate.saveSnapshot === 'function' && typeof candidate.loadSnapshot === 'function';
}
