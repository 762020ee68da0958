/**
 * How a feed reads (clause C13). Every field is optional: without options a
 * feed yields every event after `after` that is visible now, then ends.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * const options: FeedOptions = { prefix: 'cart-', live: true, signal: stop.signal, onCaughtUp: () => console.log('up to date') };
 * ```
 */
export interface FeedOptions {
  /** Only events of streams whose name starts with this (a category such as `cart-`). Default: every stream. */
  readonly prefix?: string;
  /**
   * After yielding what is visible, wait for new events and yield them as
   * they commit, until `signal` aborts or the loop is left. Default `false`:
   * the feed ends once it has yielded what was visible.
   */
  readonly live?: boolean;
  /** Ends the feed (its pending `next()` resolves `done`) and releases what it holds. */
  readonly signal?: AbortSignal;
  /**
   * Called each time the feed has yielded every event visible at that moment
   * and is about to wait (live) or end: first when a catch-up reaches the
   * present, then after each burst of live events. Gets the position of the
   * last event yielded (or `after` when there was none).
   */
  readonly onCaughtUp?: (position: string | undefined) => void;
}
