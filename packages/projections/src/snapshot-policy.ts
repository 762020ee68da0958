/**
 * When `aggregate` saves a snapshot (the seed's policy): after folding at
 * least `everyEvents` events since the snapshot it started from, and/or
 * when folding them took at least `everyMs` milliseconds. Either one
 * suffices; give at least one.
 *
 * @example
 * ```ts
 * const policy: SnapshotPolicy = { everyEvents: 1_000, everyMs: 50 };
 * ```
 */
export interface SnapshotPolicy {
  /** A positive integer: save once this many events were folded past the last snapshot. */
  readonly everyEvents?: number;
  /** A non-negative number of milliseconds: save once reading and folding past the last snapshot took this long. */
  readonly everyMs?: number;
}

/** Why `policy` is unusable, as [path, reason], or `undefined`. */
export function snapshotPolicyProblem(policy: unknown): [path: string, reason: string] | undefined {
  if (typeof policy !== 'object' || policy === null) return ['', `must be an object { everyEvents?, everyMs? } (got ${String(policy)})`];
  const { everyEvents, everyMs } = policy as SnapshotPolicy;
  if (everyEvents === undefined && everyMs === undefined) return ['', 'must give everyEvents, everyMs or both'];
  if (everyEvents !== undefined && (!Number.isSafeInteger(everyEvents) || everyEvents < 1)) {
    return ['.everyEvents', `must be a positive integer (got ${String(everyEvents)})`];
  }
  if (everyMs !== undefined && (typeof everyMs !== 'number' || !Number.isFinite(everyMs) || everyMs < 0)) {
    return ['.everyMs', `must be a non-negative number of milliseconds (got ${String(everyMs)})`];
  }
  return undefined;
}
