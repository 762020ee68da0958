import type { Event, Json } from '@hume/core';

/**
 * An event-sourced state machine: how one stream's events fold into a
 * state. Pure: `evolve` returns the next state from the previous one and an
 * event, without side effects, so a projection is tested with plain arrays
 * and no store.
 *
 * `name` and `version` identify its snapshots: a snapshot taken by another
 * version is ignored, so bump `version` whenever `evolve` or the shape of
 * the state changes.
 *
 * @example
 * ```ts
 * const balance: Projection<{ balance: number }, AccountEvent> = {
 *   name: 'balance',
 *   version: 1,
 *   initialState: { balance: 0 },
 *   evolve: (state, { payload }) => ({ balance: state.balance + (payload.type === 'deposited' ? payload.amount : -payload.amount) }),
 * };
 * ```
 */
export interface Projection<State, P = Json> {
  /** Names the projection's snapshots and checkpoints: letters, digits, `-`, `_`, `.`, `:`, `/`. */
  readonly name: string;
  /** A non-negative safe integer; snapshots of another version are ignored. */
  readonly version: number;
  /** The state of an empty stream. Never mutated: `evolve` returns new states. */
  readonly initialState: State;
  /** The state after `event`, from the state before it. */
  evolve(state: State, event: Event<P>): State;
}

/**
 * Folds `events` into a state, starting from `projection.initialState` or
 * from `state`: what a store would give, without a store.
 *
 * @example
 * ```ts
 * replay(balance, [{ seq: 1, payload: { type: 'deposited', amount: 10 } }]); // { balance: 10 }
 * ```
 */
export function replay<State, P>(
  projection: Projection<State, P>,
  events: Iterable<Event<P>>,
  state: State = projection.initialState,
): State {
  let current = state;
  for (const event of events) current = projection.evolve(current, event);
  return current;
}
