import type { Json } from './json.js';
import type { Seq } from './seq.js';

/**
 * One stored event: its position in the stream and its payload.
 *
 * @example
 * ```ts
 * const event: Event<{ type: 'opened' }> = { seq: 1, payload: { type: 'opened' } };
 * ```
 */
export interface Event<P = Json> {
  readonly seq: Seq;
  readonly payload: P;
}
