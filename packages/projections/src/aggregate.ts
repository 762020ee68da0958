import type { EventStore, JsonShaped, Seq } from '@hume/core';
import type { Projection } from './projection.js';

/** A stream's state as a projection folds it, with the last seq it saw. */
export interface Aggregate<State> {
  readonly state: State;
  /** The seq of the last event folded in (0 for an empty stream): the `expect` of the next append. */
  readonly seq: Seq;
}

/**
 * Loads a stream's state: every event folded through `projection.evolve`,
 * from `initialState`. Returns the state with the stream's last seq, ready
 * to decide and append with `expect`.
 *
 * @example
 * ```ts
 * const { state, seq } = await aggregate(store, 'account-1', balance);
 * ```
 */
export async function aggregate<State, P extends JsonShaped<P>>(
  store: EventStore<P>,
  stream: string,
  projection: Projection<State, P>,
): Promise<Aggregate<State>> {
  return foldFrom(store, stream, projection, { state: projection.initialState, seq: 0 });
}

/** Folds the events after `start.seq` into `start.state`. */
export async function foldFrom<State, P extends JsonShaped<P>>(
  store: EventStore<P>,
  stream: string,
  projection: Projection<State, P>,
  start: Aggregate<State>,
): Promise<Aggregate<State>> {
  let { state, seq } = start;
  for await (const event of store.events(stream, seq)) {
    state = projection.evolve(state, event);
    seq = event.seq;
  }
  return { state, seq };
}
