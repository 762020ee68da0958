/**
 * The promises of a store's calls not yet settled, so that `close()` can
 * resolve only after them (C8.6): a caller that awaited `close()` finds every
 * call it made before settled, even those a group commit wrote during
 * `close()`. Adapters track each call as it starts and await `settled()` in
 * `close()` before releasing their connections.
 *
 * @example
 * ```ts
 * const calls = new CallsInFlight();
 * const appended = calls.track(store.append('cart-1', { type: 'opened' }));
 * await calls.settled(); // after `appended` settled
 * ```
 */
export class CallsInFlight {
  readonly #calls = new Set<Promise<unknown>>();

  /** Remembers `call` until it settles; returns it. */
  track<T>(call: Promise<T>): Promise<T> {
    this.#calls.add(call);
    const forget = (): void => {
      this.#calls.delete(call);
    };
    call.then(forget, forget);
    return call;
  }

  /**
   * Resolves once every call tracked so far, and every call tracked while it
   * waits, has settled, whatever its outcome. It never rejects.
   */
  async settled(): Promise<void> {
    while (this.#calls.size > 0) await Promise.allSettled([...this.#calls]);
  }
}
