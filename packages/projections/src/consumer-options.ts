import type { FeedEvent, Json } from '@hume/core';
import type { CheckpointSink } from './checkpoint-sink.js';
import type { ConsumerLock } from './consumer-lock.js';

/** What a handler is told besides its batch. */
export interface BatchContext<Tx> {
  /** The sink's transaction (`undefined` for the default sink): write the read model through it for exactly-once. */
  readonly transaction: Tx;
  /** 1 for the first try of this batch, 2 for the first retry, … */
  readonly attempt: number;
}

/** How a failing batch is retried: `attempts` tries per event, with pauses from `initialMs` doubling up to `maxMs`, jittered. */
export interface RetryPolicy {
  readonly attempts?: number;
  readonly initialMs?: number;
  readonly maxMs?: number;
}

/** Options of {@link consume}. */
export interface ConsumerOptions<P = Json, Tx = undefined> {
  /** The consumer's name: its checkpoint's and its lock's. */
  readonly name: string;
  /** Applies a batch of events, in feed order. Throwing retries it (see `retry`). */
  readonly handler: (events: readonly FeedEvent<P>[], context: BatchContext<Tx>) => void | Promise<void>;
  /** Only the events of streams whose names start with it (the feed's `prefix`). */
  readonly prefix?: string;
  /**
   * Only the events it accepts reach the handler (by event type, say); the others are passed over and
   * the checkpoint moves past them all the same. A batch left empty is not given to the handler.
   */
  readonly filter?: (event: FeedEvent<P>) => boolean;
  /** At most this many events per batch and per checkpoint. Default 100. */
  readonly batchSize?: number;
  /** Keep waiting for new events once caught up (default), or stop there. */
  readonly live?: boolean;
  /** Stops the consumer: the batch in hand is not applied, `done` resolves. */
  readonly signal?: AbortSignal;
  /** Called with the checkpoint each time everything visible was applied and checkpointed. */
  readonly onCaughtUp?: (position: string | undefined) => void;
  /** Where the checkpoint lives; default the store's own (clause C15). */
  readonly checkpoints?: CheckpointSink<Tx>;
  /** One consumer of this name at a time across processes; default none. */
  readonly lock?: ConsumerLock;
  readonly retry?: RetryPolicy;
}

/** Where a consumer is. */
export interface ConsumerStatus {
  readonly state: 'waiting-for-lock' | 'catching-up' | 'live' | 'retrying' | 'stopped' | 'failed';
  /** The checkpoint: the position of the last event applied (or the one it started after). */
  readonly position: string | undefined;
  /** Events applied by this run. */
  readonly applied: number;
  /** How long since the consumer was last caught up (since it started, before the first time); 0 while it is. */
  readonly behindMs: number;
  /** The last handler or checkpoint failure, while retrying or after failing. */
  readonly lastError?: Error;
}

/** How a consumer ended when it did not fail. */
export interface ConsumerStop {
  readonly reason: 'aborted' | 'ended' | 'lost-lock';
  readonly position: string | undefined;
  readonly applied: number;
}
