import type { Json } from './json.js';
import type { Seq } from './seq.js';

/**
 * One event of the global feed (clause C13): where it sits in the feed, its
 * stream, its seq in that stream and its payload.
 *
 * `position` is opaque: store it as your checkpoint and pass it back as
 * `after`. Positions of one store compare as plain strings in feed order
 * (`a < b` exactly when `a` came first), so checkpoints can be compared and
 * indexed without parsing them.
 *
 * @example
 * ```ts
 * const event: FeedEvent<{ type: 'opened' }> = {
 *   position: '0000000000000001',
 *   stream: 'cart-1',
 *   seq: 1,
 *   payload: { type: 'opened' },
 * };
 * ```
 */
export interface FeedEvent<P = Json> {
  readonly position: string;
  readonly stream: string;
  readonly seq: Seq;
  readonly payload: P;
}
