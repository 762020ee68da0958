/**
 * Wakes live feeds when events may have been committed, for adapters: the
 * store calls `notify()` after each commit it sees (its own, or one another
 * process announced), and each live feed waits on `wait(version)`.
 *
 * A feed reads `version` before it reads a page and waits with that number:
 * a commit that lands between the read and the wait has already moved the
 * version, so the wait returns at once and no wake-up is lost.
 *
 * @example
 * ```ts
 * const notifier = new FeedNotifier();
 * const seen = notifier.version;
 * setTimeout(() => notifier.notify(), 10);
 * await notifier.wait(seen, new AbortController().signal); // resolves after the notify
 * ```
 */
export class FeedNotifier {
  #version = 0;
  #closed = false;
  readonly #waiters = new Set<() => void>();

  /** A number that changes on every `notify()`. */
  get version(): number {
    return this.#version;
  }

  /** How many feeds are waiting now (adapters start their cross-process watch only while some are). */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Wakes every waiting feed. */
  notify(): void {
    this.#version++;
    // Called after every append: with no feed waiting, nothing to copy.
    if (this.#waiters.size === 0) return;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /**
   * Resolves once the version differs from `seen`, `signal` aborts, or the
   * notifier is closed; at once if one of these is already so. Nothing of
   * the wait stays registered after it resolves.
   */
  wait(seen: number, signal?: AbortSignal): Promise<void> {
    if (this.#version !== seen || this.#closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        this.#waiters.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      this.#waiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  /** Wakes every waiting feed for good: later waits resolve at once (the store is closing). */
  close(): void {
    this.#closed = true;
    this.notify();
  }
}
