import type { Event } from '@hume/core';
import { CliError } from './cli-error.js';
import { type CopyTarget, copyStream } from './copy-stream.js';
import { type ExportLine, parseExportLine } from './ndjson.js';

/** Options of {@link importEvents}. */
export interface ImportOptions {
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  readonly onEvents?: (count: number) => void;
}

/** What an import did. */
export interface ImportReport {
  readonly streams: number;
  readonly copied: number;
  readonly present: number;
  readonly stopped: boolean;
}

/**
 * Appends the events of export lines (see {@link parseExportLine}) to
 * `target`, a stream at a time, with the same checks and batches as a copy:
 * each stream's lines must come together and start at seq 1 without gaps,
 * and an import rerun after an interruption continues where it stopped.
 *
 * @example
 * ```ts
 * await importEvents(store, createInterface({ input: process.stdin, crlfDelay: Infinity }));
 * ```
 */
export async function importEvents(target: CopyTarget, lines: AsyncIterable<string>, options: ImportOptions = {}): Promise<ImportReport> {
  const { batchSize = 1000, signal, onEvents } = options;
  const input = lines[Symbol.asyncIterator]();
  let number = 0;
  const nextLine = async (): Promise<ExportLine | undefined> => {
    for (;;) {
      const line = await input.next();
      if (line.done) return undefined;
      number++;
      if (line.value.trim() !== '') return parseExportLine(line.value, number);
    }
  };
  const seen = new Set<string>();
  let lookahead = await nextLine();
  let copied = 0;
  let present = 0;
  try {
    while (lookahead !== undefined) {
      const { stream } = lookahead;
      if (seen.has(stream)) {
        throw new CliError(
          'BAD_INPUT',
          `line ${number}: stream ${JSON.stringify(stream)} comes again after other streams`,
          'each stream’s lines must come together, in seq order, as hume export writes them',
        );
      }
      seen.add(stream);
      const events: AsyncIterator<Event<unknown>> = {
        async next() {
          if (lookahead === undefined || lookahead.stream !== stream) return { done: true, value: undefined };
          const event = { seq: lookahead.seq, payload: lookahead.payload };
          lookahead = await nextLine();
          return { done: false, value: event };
        },
      };
      const result = await copyStream(target, stream, events, { batchSize, signal, onEvents });
      copied += result.copied;
      present += result.present;
      if (result.stopped) return { streams: seen.size, copied, present, stopped: true };
    }
  } finally {
    await input.return?.();
  }
  return { streams: seen.size, copied, present, stopped: false };
}
