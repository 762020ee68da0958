import {
  type AppendManyResult,
  checkStream,
  describeValue,
  type Event,
  type EventStore,
  InvalidArgumentError,
  type JsonShaped,
  type Seq,
} from '@hume/core';
import { type Aggregate, type AggregateOptions, aggregate } from './aggregate.js';
import type { HandleResult } from './handle-result.js';
import type { Projection } from './projection.js';

/** What `decide` is told besides the state. */
export interface DecideContext {
  readonly stream: string;
  /** The stream's last seq the state includes. */
  readonly seq: Seq;
  /** 1 for the first try, 2 after the first conflict, … */
  readonly attempt: number;
}

/** Options of {@link handle}. */
export interface HandleOptions<State, P extends JsonShaped<P>> extends AggregateOptions {
  /** How many times to load, decide and append before returning the conflict. A positive integer; default 10. */
  readonly attempts?: number;
  /** The longest pause before a retry, in ms; each pause is random up to min(2^attempt, this). Default 50; 0 retries at once. */
  readonly maxBackoffMs?: number;
  /** How to load the stream; default `aggregate(store, stream, projection, { snapshots })`. */
  readonly load?: (store: EventStore<P>, stream: string, projection: Projection<State, P>) => Promise<Aggregate<State>>;
}

/**
 * The command loop: loads the stream's state, asks `decide` for new events,
 * appends them all at once with `expect` = the seq the state was loaded at,
 * and on a conflict loads again and decides again, up to `attempts` times.
 * Never throws a conflict away: the final one is the result. Contract
 * outcomes are returned, never thrown; `decide`'s own errors and backend
 * failures reject.
 *
 * Several events need the store's `appendMany` (clause C11), so that they
 * land together or not at all.
 *
 * @example
 * ```ts
 * const result = await handle(store, 'account-1', balance, (state) =>
 *   state.balance >= 30 ? [{ type: 'withdrawn', amount: 30 }] : [],
 * );
 * ```
 */
// `const P`: without it TypeScript 6 widens the literals of events that `decide` returns inline ('opened' to string)
// while P is still being inferred, and refuses them.
export async function handle<State, const P extends JsonShaped<P>>(
  store: EventStore<P>,
  stream: string,
  projection: Projection<State, P>,
  decide: (state: State, context: DecideContext) => readonly P[] | Promise<readonly P[]>,
  options: HandleOptions<State, P> = {},
): Promise<HandleResult<State, P>> {
  const { attempts = 10, maxBackoffMs = 50, snapshots } = options;
  const load =
    options.load ?? ((s: EventStore<P>, name: string, p: Projection<State, P>) => aggregate(s, name, p, snapshots ? { snapshots } : {}));
  const refused = checkStream(stream) ?? checkHandleArguments(decide, attempts, maxBackoffMs);
  if (refused) return { ok: false, error: refused, attempts: 0 };
  for (let attempt = 1; ; attempt++) {
    const loaded = await load(store, stream, projection);
    const last: Aggregate<State> = { state: loaded.state, seq: loaded.seq };
    const payloads = await decide(last.state, { stream, seq: last.seq, attempt });
    if (!Array.isArray(payloads)) {
      const error = new InvalidArgumentError('decide', `must return an array of events (got ${describeValue(payloads)})`);
      return { ok: false, error, attempts: attempt, last };
    }
    if (payloads.length === 0) return { ok: true, state: last.state, seq: last.seq, events: [], attempts: attempt };
    const stored = await appendAll(store, stream, payloads, last.seq);
    if (stored.ok) {
      const events = payloads.map((payload, index): Event<P> => ({ seq: stored.first + index, payload }));
      let state = last.state;
      for (const event of events) state = projection.evolve(state, event);
      return { ok: true, state, seq: stored.seq, events, attempts: attempt };
    }
    if (stored.error.code !== 'UNEXPECTED_SEQ' || attempt >= attempts) return { ok: false, error: stored.error, attempts: attempt, last };
    // Random pauses spread the retries of callers that conflicted together, so the next round is not the same race.
    const pause = Math.random() * Math.min(2 ** attempt, maxBackoffMs);
    if (pause >= 1) await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

async function appendAll<P extends JsonShaped<P>>(
  store: EventStore<P>,
  stream: string,
  payloads: readonly P[],
  expect: Seq,
): Promise<AppendManyResult> {
  if (typeof store.appendMany === 'function') return store.appendMany(stream, payloads, expect);
  if (payloads.length > 1) {
    const reason = `has ${payloads.length} events, but the store has no appendMany (clause C11) to store them together`;
    return { ok: false, error: new InvalidArgumentError('payloads', reason) };
  }
  const result = await store.append(stream, payloads[0] as P, expect);
  return result.ok ? { ok: true, first: result.seq, seq: result.seq } : result;
}

function checkHandleArguments(decide: unknown, attempts: unknown, maxBackoffMs: unknown): InvalidArgumentError | undefined {
  if (typeof decide !== 'function') return new InvalidArgumentError('decide', `must be a function (got ${describeValue(decide)})`);
  if (!Number.isSafeInteger(attempts) || (attempts as number) < 1) {
    return new InvalidArgumentError('options', `must be a positive integer (got ${describeValue(attempts)})`, '.attempts');
  }
  if (typeof maxBackoffMs !== 'number' || !Number.isFinite(maxBackoffMs) || maxBackoffMs < 0) {
    return new InvalidArgumentError('options', `must be a non-negative number (got ${describeValue(maxBackoffMs)})`, '.maxBackoffMs');
  }
  return undefined;
}
