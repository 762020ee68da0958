import type { Event, Json, Seq } from '@hume/core';
import { appendBatch, type BatchTarget } from './append-batch.js';
import { canonicalJson } from './canonical-json.js';
import { CliError } from './cli-error.js';

/** The target side of a copy: it is read first, then appended to. */
export interface CopyTarget extends BatchTarget {
  events(stream: string, from?: Seq): AsyncIterable<Event<unknown>>;
}

/** How one stream was copied. */
export interface StreamCopy {
  /** Events appended to the target. */
  readonly copied: number;
  /** Events the target already had, equal to the source's. */
  readonly present: number;
  /** True when `signal` stopped the copy at a batch boundary. */
  readonly stopped: boolean;
}

/** Options of {@link copyStream}. */
export interface CopyStreamOptions {
  readonly batchSize: number;
  readonly signal?: AbortSignal;
  /** Called with the number of events just checked or appended. */
  readonly onEvents?: (count: number) => void;
}

/**
 * Copies one stream's events, seqs preserved, into `target`. What the
 * target already holds of the stream is read first and must equal the
 * source's first events, seq for seq (a rerun after an interruption, or an
 * earlier copy): then only the rest is appended, in batches, each with
 * `expect` = the last seq before it. Anything else is a conflict, reported
 * with the stream and seq: the target holds a different event, more events
 * than the source, or someone appended to it during the copy.
 *
 * `source` must yield the stream from seq 1 without gaps (a store's read
 * does; an import file is checked).
 *
 * @example
 * ```ts
 * await copyStream(target, 'cart-1', source.events('cart-1')[Symbol.asyncIterator](), { batchSize: 1000 });
 * ```
 */
export async function copyStream(
  target: CopyTarget,
  stream: string,
  source: AsyncIterator<Event<unknown>>,
  options: CopyStreamOptions,
): Promise<StreamCopy> {
  const { batchSize, signal, onEvents } = options;
  let last: Seq = 0;
  let present = 0;
  let copied = 0;
  try {
    // What the target has must be what the source has, event for event.
    for await (const held of target.events(stream)) {
      const next = await source.next();
      if (next.done) {
        throw conflict(
          stream,
          held.seq,
          `the target has ${held.seq === 1 ? 'an event' : 'more events'} than the source (seq ${held.seq} and on)`,
        );
      }
      checkSeq(stream, next.value.seq, last + 1);
      if (held.seq !== next.value.seq || canonicalJson(held.payload) !== canonicalJson(next.value.payload)) {
        throw conflict(stream, next.value.seq, `the target holds a different event at seq ${next.value.seq}`);
      }
      last = held.seq;
      present++;
      if (present % batchSize === 0) onEvents?.(batchSize);
    }
    onEvents?.(present % batchSize);
    let batch: Json[] = [];
    for (;;) {
      const next = await source.next();
      if (!next.done) {
        checkSeq(stream, next.value.seq, last + batch.length + 1);
        batch.push(next.value.payload as Json);
        if (batch.length < batchSize) continue;
      }
      if (batch.length > 0) {
        const result = await appendBatch(target, stream, batch, last);
        if (!result.ok) {
          const { error } = result;
          if (error.code === 'UNEXPECTED_SEQ') {
            throw conflict(
              stream,
              last + 1,
              `someone else appended to the target during the copy (its last seq is ${error.actual}, expected ${last})`,
            );
          }
          throw error;
        }
        last += batch.length;
        copied += batch.length;
        onEvents?.(batch.length);
        batch = [];
      }
      if (next.done) return { copied, present, stopped: false };
      // A store that answers synchronously (better-sqlite3) would otherwise keep the event
      // loop in microtasks from batch to batch, and Ctrl-C's handler, a macrotask, would never run.
      await new Promise((resolve) => setImmediate(resolve));
      // Stopped only if the stream has more: a stream that ended at this batch is complete.
      if (signal?.aborted) return { copied, present, stopped: !(await source.next()).done };
    }
  } finally {
    await source.return?.();
  }
}

function checkSeq(stream: string, seq: unknown, expected: Seq): void {
  if (seq !== expected) {
    throw new CliError(
      'BAD_SOURCE',
      `stream ${JSON.stringify(stream)} of the source has seq ${String(seq)} where ${expected} should come`,
      'the source must hold each stream from seq 1 without gaps, as hume export writes it',
    );
  }
}

function conflict(stream: string, seq: Seq, what: string): CliError {
  return new CliError(
    'CONFLICT',
    `stream ${JSON.stringify(stream)} at seq ${seq}: ${what}; nothing of this stream was changed from there on`,
    'the target is not a copy of this source: copy into an empty store, or run hume verify to list every difference',
  );
}
