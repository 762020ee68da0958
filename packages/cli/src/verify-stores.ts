import { compareStreamNames, type Event, type StreamInfo, type StreamsOptions } from '@hume/core';
import { requireListing } from './require-listing.js';
import { type StreamSummary, summarizeStream } from './stream-digest.js';

/** A store `verifyStores` reads: it must list its streams (contract C12). */
export interface VerifiedStore {
  events(stream: string): AsyncIterable<Event<unknown>>;
  streams?(options?: StreamsOptions): AsyncIterable<StreamInfo>;
}

/** One stream that is not the same in both stores; a side is `undefined` where the stream is missing. */
export interface StreamDifference {
  readonly stream: string;
  readonly a: StreamSummary | undefined;
  readonly b: StreamSummary | undefined;
}

/** What `verifyStores` found. */
export interface VerifyReport {
  readonly equal: boolean;
  /** Streams compared (in either store). */
  readonly streams: number;
  /** Events read from store a. */
  readonly events: number;
  readonly differences: readonly StreamDifference[];
}

/** Options of {@link verifyStores}. */
export interface VerifyOptions {
  readonly prefix?: string;
  /** Stop after this many differences. Default 100. */
  readonly maxDifferences?: number;
  readonly signal?: AbortSignal;
  readonly onStream?: (compared: number) => void;
}

/**
 * Compares two stores stream by stream: the same names, and for each the
 * same number of events with the same content hash (see
 * {@link summarizeStream}). Both listings are walked side by side in their
 * common order (C12.2), so memory stays bounded whatever the store's size.
 *
 * @example
 * ```ts
 * const { equal, differences } = await verifyStores(a, b);
 * ```
 */
export async function verifyStores(a: VerifiedStore, b: VerifiedStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { prefix, maxDifferences = 100, signal, onStream } = options;
  const left = requireListing(a, 'store a').streams({ prefix })[Symbol.asyncIterator]();
  const right = requireListing(b, 'store b').streams({ prefix })[Symbol.asyncIterator]();
  const differences: StreamDifference[] = [];
  let streams = 0;
  let events = 0;
  try {
    let x = await left.next();
    let y = await right.next();
    while (!(x.done && y.done) && differences.length < maxDifferences && !signal?.aborted) {
      const order = x.done ? 1 : y.done ? -1 : compareStreamNames(x.value.stream, y.value.stream);
      const stream = order <= 0 ? (x.value as StreamInfo).stream : (y.value as StreamInfo).stream;
      const [sa, sb] = await Promise.all([
        order <= 0 ? summarizeStream(a, stream) : undefined,
        order >= 0 ? summarizeStream(b, stream) : undefined,
      ]);
      if (sa === undefined || sb === undefined || sa.events !== sb.events || sa.sha256 !== sb.sha256)
        differences.push({ stream, a: sa, b: sb });
      events += sa?.events ?? 0;
      streams++;
      onStream?.(streams);
      if (order <= 0) x = await left.next();
      if (order >= 0) y = await right.next();
    }
  } finally {
    await left.return?.();
    await right.return?.();
  }
  return { equal: differences.length === 0 && !signal?.aborted, streams, events, differences };
}
