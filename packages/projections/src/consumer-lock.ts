/**
 * Keeps one consumer of a name running at a time, across processes.
 * `acquire` resolves once this process holds the name (waiting as long as
 * another holds it), or `undefined` when `signal` aborts first.
 *
 * @example
 * ```ts
 * const lease = await lock.acquire('balances', signal);
 * try { await work(lease.lost) } finally { await lease?.release() }
 * ```
 */
export interface ConsumerLock {
  acquire(name: string, signal: AbortSignal): Promise<ConsumerLease | undefined>;
}

/** A name held by this process. */
export interface ConsumerLease {
  /** Aborts if the name is lost (a lease that could not be renewed, a connection that dropped): the consumer stops. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/** Waits `ms`, or less when `signal` aborts; resolves false when it aborted. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
