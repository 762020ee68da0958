import type { Event, StreamInfo, StreamsOptions } from '@hume/core';
import { type CopyTarget, copyStream } from './copy-stream.js';
import { requireListing } from './require-listing.js';

/** A store `copyStores` reads from: it must list its streams (contract C12). */
export interface CopySource {
  events(stream: string): AsyncIterable<Event<unknown>>;
  streams?(options?: StreamsOptions): AsyncIterable<StreamInfo>;
}

/** Where a copy stands, as progress reports and the final report give it. */
export interface CopyProgress {
  /** Events in the source's streams when they were counted (the listing's last seqs). */
  readonly total: number;
  /** Events checked as already present plus events appended. */
  readonly done: number;
  readonly copied: number;
  readonly present: number;
  readonly streams: number;
  readonly streamsDone: number;
}

/** Options of {@link copyStores}. */
export interface CopyOptions {
  /** Only streams whose names start with it. */
  readonly prefix?: string;
  /** Events per `appendMany` call. Default 1000. */
  readonly batchSize?: number;
  /** Streams copied at once. Default 4. */
  readonly concurrency?: number;
  /** Stops the copy at the next batch boundary of every stream in flight. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CopyProgress) => void;
}

/** The outcome: where the copy stands and whether it was stopped before the end. */
export interface CopyReport extends CopyProgress {
  readonly stopped: boolean;
}

/**
 * Copies every stream of `source` (or those under a prefix) into `target`,
 * seqs preserved, a few streams at a time, each in batches (see
 * {@link copyStream}). Rerunning a stopped or killed copy continues where it
 * stopped; a target that holds different events fails with code `CONFLICT`
 * after the streams in flight reach a batch boundary.
 *
 * @example
 * ```ts
 * const report = await copyStores(await openStore('sqlite:events.db'), await openStore(process.env.DATABASE_URL!));
 * ```
 */
export async function copyStores(source: CopySource, target: CopyTarget, options: CopyOptions = {}): Promise<CopyReport> {
  const { prefix, batchSize = 1000, concurrency = 4, signal, onProgress } = options;
  const listing = requireListing(source, 'the source of a copy');
  let total = 0;
  let streams = 0;
  for await (const { last } of listing.streams({ prefix })) {
    total += last;
    streams++;
  }
  const state = { total, done: 0, copied: 0, present: 0, streams, streamsDone: 0 };
  const report = (): void => onProgress?.({ ...state });
  report();
  const running = new Set<Promise<void>>();
  let failure: unknown;
  let stopped = false;
  for await (const { stream } of listing.streams({ prefix })) {
    await new Promise((resolve) => setImmediate(resolve)); // lets Ctrl-C in between streams too (see copyStream)
    if (signal?.aborted || failure !== undefined) break;
    const work = copyStream(target, stream, source.events(stream)[Symbol.asyncIterator](), {
      batchSize,
      signal,
      onEvents: (count) => {
        state.done += count;
        report();
      },
    }).then(
      (result) => {
        state.copied += result.copied;
        state.present += result.present;
        if (result.stopped) stopped = true;
        else state.streamsDone++;
        report();
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    const tracked: Promise<void> = work.finally(() => running.delete(tracked));
    running.add(tracked);
    if (running.size >= concurrency) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure !== undefined) throw failure;
  return { ...state, stopped: stopped || (signal?.aborted ?? false) };
}
