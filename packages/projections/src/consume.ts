import {
  canStoreCheckpoints,
  checkName,
  describeValue,
  type EventStore,
  type FeedEvent,
  InvalidArgumentError,
  type JsonShaped,
} from '@hume/core';
import { type CheckpointSink, storeCheckpoints } from './checkpoint-sink.js';
import { ConsumerError } from './consumer-error.js';
import { type ConsumerLease, pause } from './consumer-lock.js';
import type { ConsumerOptions, ConsumerStatus, ConsumerStop } from './consumer-options.js';

/** A running consumer. */
export interface Consumer {
  /** Resolves when it stops (aborted, lock lost, or the feed ended without `live`); rejects with a `ConsumerError`, or the store's error. */
  readonly done: Promise<ConsumerStop>;
  /** Where it is now: state, checkpoint, events applied, how far behind. */
  status(): ConsumerStatus;
}

/**
 * Runs `options.handler` over the store's feed (clause C13) from the
 * consumer's checkpoint, in batches of up to `batchSize` events, saving the
 * checkpoint after each batch (at-least-once: a crash between a batch and
 * its checkpoint delivers it again; exactly-once with a sink that commits
 * both in one transaction, such as `sqliteTransactions`). A batch is also
 * cut whenever the feed has delivered everything visible, so a live
 * consumer applies new events at once. A failing batch is tried again
 * event by event, each `retry.attempts` times with growing pauses; the
 * consumer then stops with a `ConsumerError` naming the event, and never
 * skips it.
 *
 * @example
 * ```ts
 * const consumer = consume(store, {
 *   name: 'balances',
 *   prefix: 'account-',
 *   handler: (events) => { for (const { stream, payload } of events) readModel.apply(stream, payload) },
 *   signal: controller.signal,
 * });
 * await consumer.done;
 * ```
 */
export function consume<P extends JsonShaped<P>, Tx = undefined>(store: EventStore<P>, options: ConsumerOptions<P, Tx>): Consumer {
  const run = new ConsumerRun(store, options);
  return { done: run.start(), status: () => run.status() };
}

/** Thrown to unwind a batch when the consumer is stopped in the middle of it; never surfaces. */
const stopped = new Error('the consumer was stopped');
const stoppedError = (): Error => stopped;

class ConsumerRun<P extends JsonShaped<P>, Tx> {
  readonly #store: EventStore<P>;
  readonly #options: ConsumerOptions<P, Tx>;
  readonly #stop = new AbortController();
  #state: ConsumerStatus['state'] = 'waiting-for-lock';
  #position: string | undefined;
  #applied = 0;
  #caughtUpAt: number | undefined;
  readonly #startedAt = Date.now();
  #lastError: Error | undefined;

  constructor(store: EventStore<P>, options: ConsumerOptions<P, Tx>) {
    this.#store = store;
    this.#options = options;
  }

  status(): ConsumerStatus {
    const behindMs = this.#state === 'live' ? 0 : Date.now() - (this.#caughtUpAt ?? this.#startedAt);
    return {
      state: this.#state,
      position: this.#position,
      applied: this.#applied,
      behindMs,
      ...(this.#lastError ? { lastError: this.#lastError } : {}),
    };
  }

  async start(): Promise<ConsumerStop> {
    // Checked inside the promise: a bad option rejects `done`, it never throws from consume().
    await Promise.resolve();
    const { sink, problem } = this.#sink();
    if (problem) throw problem;
    const { name, signal, lock } = this.#options;
    const stopSignals = [this.#stop.signal, ...(signal ? [signal] : [])];
    let lease: ConsumerLease | undefined;
    try {
      if (lock) {
        lease = await lock.acquire(name, AbortSignal.any(stopSignals));
        if (lease === undefined) return this.#stopped('aborted');
        stopSignals.push(lease.lost);
      }
      this.#state = 'catching-up';
      this.#position = await (sink as CheckpointSink<Tx>).load(name);
      return await this.#follow(sink as CheckpointSink<Tx>, AbortSignal.any(stopSignals), lease);
    } catch (error) {
      this.#state = 'failed';
      throw error;
    } finally {
      await lease?.release();
    }
  }

  #stopped(reason: ConsumerStop['reason']): ConsumerStop {
    this.#state = 'stopped';
    return { reason, position: this.#position, applied: this.#applied };
  }

  async #follow(sink: CheckpointSink<Tx>, signal: AbortSignal, lease: ConsumerLease | undefined): Promise<ConsumerStop> {
    const { prefix, live = true, batchSize = 100, onCaughtUp } = this.#options;
    let buffer: FeedEvent<P>[] = [];
    let chain: Promise<void> = Promise.resolve();
    let failure: unknown;
    const fail = (error: unknown): void => {
      failure ??= error;
      this.#stop.abort();
    };
    const flush = (): Promise<void> => {
      if (buffer.length > 0 && !signal.aborted) {
        const batch = buffer;
        buffer = [];
        chain = chain.then(() => (failure === undefined && !signal.aborted ? this.#apply(sink, batch, signal) : undefined)).catch(fail);
      }
      return chain;
    };
    const caughtUp = (position: string | undefined): void => {
      void flush().then(() => {
        if (failure !== undefined || signal.aborted) return;
        this.#caughtUpAt = Date.now();
        if (live) this.#state = 'live';
        try {
          onCaughtUp?.(position ?? this.#position);
        } catch (error) {
          fail(error);
        }
      });
    };
    const feed =
      this.#store.feed?.(this.#position, { live, signal, onCaughtUp: caughtUp, ...(prefix === undefined ? {} : { prefix }) }) ?? [];
    try {
      for await (const event of feed) {
        if (this.#state === 'live') this.#state = 'catching-up';
        buffer.push(event);
        if (buffer.length >= batchSize) await flush();
        if (failure !== undefined) break;
      }
    } catch (error) {
      // The feed failed (BACKEND) or was cut off: what was applied stays applied and checkpointed.
      fail(error);
    }
    if (!signal.aborted) await flush();
    await chain;
    if (failure !== undefined && failure !== stopped) throw failure;
    if (lease?.lost.aborted) return this.#stopped('lost-lock');
    return this.#stopped(signal.aborted ? 'aborted' : 'ended');
  }

  /** Applies a batch and saves its checkpoint; on failure, event by event with retries, so the failing one is named. */
  async #apply(sink: CheckpointSink<Tx>, batch: readonly FeedEvent<P>[], signal: AbortSignal): Promise<void> {
    if (batch.length > 1) {
      try {
        await this.#commit(sink, batch, 1);
        return;
      } catch (error) {
        this.#lastError = error instanceof Error ? error : new Error(String(error));
      }
      for (const event of batch) await this.#applyWithRetries(sink, [event], signal, 2);
      return;
    }
    await this.#applyWithRetries(sink, batch, signal, 1);
  }

  async #applyWithRetries(sink: CheckpointSink<Tx>, batch: readonly FeedEvent<P>[], signal: AbortSignal, first: number): Promise<void> {
    const { attempts = 5, initialMs = 100, maxMs = 10_000 } = this.#options.retry ?? {};
    for (let attempt = first; ; attempt++) {
      try {
        await this.#commit(sink, batch, attempt);
        if (this.#state === 'retrying') this.#state = 'catching-up';
        return;
      } catch (error) {
        this.#lastError = error instanceof Error ? error : new Error(String(error));
        const event = batch[0] as FeedEvent<P>;
        if (attempt >= Math.max(attempts, first)) {
          throw new ConsumerError(this.#options.name, { position: event.position, stream: event.stream, seq: event.seq }, attempt, error);
        }
        this.#state = 'retrying';
        const wait = Math.min(maxMs, initialMs * 2 ** (attempt - first));
        // Stopping during the pause leaves the event unapplied and not checkpointed: it comes again on restart.
        if (!(await pause(wait / 2 + Math.random() * (wait / 2), signal))) throw stoppedError();
      }
    }
  }

  async #commit(sink: CheckpointSink<Tx>, batch: readonly FeedEvent<P>[], attempt: number): Promise<void> {
    const last = batch.at(-1) as FeedEvent<P>;
    const { filter, handler } = this.#options;
    const selected = filter ? batch.filter(filter) : batch;
    await sink.commit(this.#options.name, last.position, async (transaction) => {
      if (selected.length > 0) await handler(selected, { transaction, attempt });
    });
    this.#position = last.position;
    this.#applied += batch.length;
  }

  #sink(): { sink?: CheckpointSink<Tx>; problem?: Error } {
    const { name, handler, batchSize = 100, checkpoints, retry } = this.#options;
    const invalid = checkName(name);
    if (invalid) return { problem: invalid };
    if (typeof handler !== 'function')
      return { problem: new InvalidArgumentError('options', `must be a function (got ${describeValue(handler)})`, '.handler') };
    const { filter } = this.#options;
    if (filter !== undefined && typeof filter !== 'function') {
      return { problem: new InvalidArgumentError('options', `must be a function (got ${describeValue(filter)})`, '.filter') };
    }
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      return { problem: new InvalidArgumentError('options', `must be a positive integer (got ${describeValue(batchSize)})`, '.batchSize') };
    }
    const attempts = retry?.attempts ?? 5;
    if (!Number.isSafeInteger(attempts) || attempts < 1) {
      return {
        problem: new InvalidArgumentError('options', `must be a positive integer (got ${describeValue(attempts)})`, '.retry.attempts'),
      };
    }
    // A store without these is a programming error, as appendMany() of @hume/core has it.
    if (typeof this.#store.feed !== 'function')
      return { problem: new TypeError('the store has no feed (clause C13): it cannot be consumed') };
    if (checkpoints) return { sink: checkpoints };
    if (canStoreCheckpoints(this.#store)) return { sink: storeCheckpoints(this.#store) as unknown as CheckpointSink<Tx> };
    return { problem: new TypeError('the store has no checkpoints (clause C15): pass options.checkpoints') };
  }
}
