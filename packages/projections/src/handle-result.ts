import type { Event, InvalidArgumentError, UnexpectedSeqError } from '@hume/core';
import type { Aggregate } from './aggregate.js';

/**
 * What `handle` did. `ok: true`: the decided events are stored (none when
 * `decide` returned none), `state` and `seq` are the stream's after them.
 * `ok: false`: nothing of the last decision is stored; `error` is the final
 * conflict (code `UNEXPECTED_SEQ`, after `attempts` tries) or a refusal
 * (code `INVALID_ARGUMENT`), and `last` the state the last decision saw.
 *
 * @example
 * ```ts
 * const result = await handle(store, 'account-1', balance, () => [{ type: 'deposited', amount: 5 }]);
 * if (result.ok) console.log(result.state, result.seq);
 * else console.log(result.error.code, result.attempts);
 * ```
 */
export type HandleResult<State, P> =
  | {
      readonly ok: true;
      readonly state: State;
      readonly seq: number;
      /** The events this call stored, with their seqs. */
      readonly events: readonly Event<P>[];
      readonly attempts: number;
    }
  | {
      readonly ok: false;
      readonly error: UnexpectedSeqError | InvalidArgumentError;
      readonly attempts: number;
      /** The stream as the last decision saw it; absent when the call was refused before loading it. */
      readonly last?: Aggregate<State>;
    };
