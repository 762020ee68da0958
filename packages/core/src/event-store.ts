import type { AppendManyResult } from './append-many-result.js';
import type { AppendResult } from './append-result.js';
import type { Event } from './event.js';
import type { FeedEvent } from './feed-event.js';
import type { FeedOptions } from './feed-options.js';
import type { Json, JsonShaped } from './json.js';
import type { Seq } from './seq.js';

/**
 * The Hume contract (docs/contract.md): an append-only log of events per
 * stream, with optimistic concurrency on append and lazy, ordered reads.
 *
 * `P` is the payload type. Any type that JSON can carry fits, interfaces
 * included (see {@link JsonShaped}).
 *
 * @example
 * ```ts
 * const result = await store.append('cart-1', { type: 'opened' }, 0);
 * for await (const event of store.events('cart-1')) console.log(event.seq, event.payload);
 * ```
 */
export interface EventStore<P extends JsonShaped<P> = Json> {
  /**
   * Appends `payload` as the stream's next event, seq = last + 1. With
   * `expect` a number, appends only when the stream's last seq equals it.
   * Resolves to `{ ok: false }` on a conflict or a bad argument; rejects
   * only when the backend fails (code `BACKEND`).
   *
   * @example
   * ```ts
   * const result = await store.append('cart-1', { type: 'item-added', sku: 'a1' }, 1);
   * ```
   */
  append(stream: string, payload: P, expect?: Seq | null): Promise<AppendResult>;

  /**
   * Appends `payloads` as the stream's next events, at contiguous seqs
   * last + 1 … last + n, all or none (clause C11). `expect` means what it
   * means for `append`. Resolves to `{ ok: true, first, seq }` (`seq` is the
   * last one's, so it chains into the next `expect`) or `{ ok: false }` like
   * `append`: an empty batch, one bad payload, more than 10,000 events or
   * more than the store's maximum payload bytes in total refuse the whole
   * batch.
   *
   * Optional: a store declares the capability by having the method. Check
   * for it (`store.appendMany?.(…)`) or use `appendMany` of `@hume/core`.
   *
   * @example
   * ```ts
   * const result = await store.appendMany?.('cart-1', [{ type: 'opened' }, { type: 'item-added', sku: 'a1' }], 0);
   * if (result?.ok) console.log(result.first, result.seq); // 1 2
   * ```
   */
  appendMany?(stream: string, payloads: readonly P[], expect?: Seq | null): Promise<AppendManyResult>;

  /**
   * Yields the stream's events with seq > `from` (default 0), in ascending
   * order, read lazily in bounded pages. Never throws synchronously: a bad
   * argument rejects the first `next()`.
   *
   * @example
   * ```ts
   * for await (const { seq, payload } of store.events('cart-1', 10)) apply(seq, payload);
   * ```
   */
  events(stream: string, from?: Seq): AsyncIterable<Event<P>>;

  /**
   * The global feed (clause C13), an optional capability: every event of
   * every stream after the position `after` (exclusive; from the start when
   * omitted), each exactly once, each stream in seq order, never skipping
   * one that commits late. With `{ live: true }` it then waits for new
   * events until `options.signal` aborts. Never throws synchronously.
   *
   * @example
   * ```ts
   * for await (const { position, stream, seq, payload } of store.feed?.(checkpoint, { prefix: 'cart-' }) ?? []) {
   *   project(stream, seq, payload);
   *   checkpoint = position;
   * }
   * ```
   */
  feed?(after?: string, options?: FeedOptions): AsyncIterable<FeedEvent<P>>;

  /**
   * Releases what the store holds (connections, file handles). Optional:
   * stores that hold nothing may omit it. Calls after `close` reject with
   * code `CLOSED`.
   *
   * @example
   * ```ts
   * await store.close?.();
   * ```
   */
  close?(): Promise<void>;
}
