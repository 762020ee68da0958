import type { Seq } from './seq.js';

/**
 * One stream as `streams()` lists it: its name and its last seq when it was
 * read.
 *
 * @example
 * ```ts
 * const info: StreamInfo = { stream: 'cart-1', last: 3 };
 * ```
 */
export interface StreamInfo {
  readonly stream: string;
  readonly last: Seq;
}

/** What `streams()` lists (clause C12). */
export interface StreamsOptions {
  /** Only streams whose names start with it. Default `''`: every stream. */
  readonly prefix?: string;
  /** Only streams whose names sort after it (exclusive): where an earlier listing stopped. */
  readonly after?: string;
  /** At most this many streams. Default: no limit. */
  readonly limit?: number;
}

/**
 * The optional stream-listing capability of clause C12: a store that has it
 * lists its streams with their last seq, ordered by name in code-point order
 * (the order of their UTF-8 bytes), lazily in bounded pages like `events`.
 * Stores without it conform all the same; tools check with
 * {@link canListStreams}.
 *
 * @example
 * ```ts
 * for await (const { stream, last } of store.streams({ prefix: 'cart-' })) console.log(stream, last);
 * ```
 */
export interface StreamListing {
  /**
   * Yields the streams that have events, ascending by name. Never throws
   * synchronously: a bad option rejects the first `next()` with code
   * `INVALID_ARGUMENT`.
   *
   * @example
   * ```ts
   * for await (const { stream, last } of store.streams({ prefix: 'cart-', limit: 10 })) console.log(stream, last);
   * ```
   */
  streams(options?: StreamsOptions): AsyncIterable<StreamInfo>;
}

/**
 * Tells whether `store` has the stream-listing capability (clause C12).
 *
 * @example
 * ```ts
 * if (canListStreams(store)) for await (const info of store.streams()) console.log(info);
 * ```
 */
export function canListStreams<S extends object>(store: S): store is S & StreamListing {
  return typeof (store as { streams?: unknown }).streams === 'function';
}
