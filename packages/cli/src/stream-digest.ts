import { createHash, type Hash } from 'node:crypto';
import type { Event } from '@hume/core';
import { canonicalJson } from './canonical-json.js';

/** A stream's event count and content hash, as `hume verify` compares them. */
export interface StreamSummary {
  readonly events: number;
  /** SHA-256, hex, of each event's `seq`, a tab, its canonical JSON and a newline, in seq order. */
  readonly sha256: string;
}

/**
 * Reads a whole stream and sums it up. Two stores hold the same stream
 * exactly when their summaries are equal (seqs included, key order of
 * payloads aside).
 *
 * @example
 * ```ts
 * const { events, sha256 } = await summarizeStream(store, 'cart-1');
 * ```
 */
export async function summarizeStream(
  store: { events(stream: string): AsyncIterable<Event<unknown>> },
  stream: string,
): Promise<StreamSummary> {
  const hash: Hash = createHash('sha256');
  let events = 0;
  for await (const { seq, payload } of store.events(stream)) {
    hash.update(`${seq}\t${canonicalJson(payload)}\n`);
    events++;
  }
  return { events, sha256: hash.digest('hex') };
}
