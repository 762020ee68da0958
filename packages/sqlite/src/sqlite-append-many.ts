import { type AppendManyResult, prepareAppendMany, type Seq } from '@hume/core';
import type { AppendOutcome, PendingAppend } from './pending-append.js';

/** How the store writes a pending append: through its group commit, or inside a transaction of the caller's. */
export type WriteAppend = (append: PendingAppend) => Promise<AppendOutcome> | AppendOutcome;

/** The limits of one `appendMany` call. */
export interface AppendManyLimits {
  readonly maxPayloadBytes: number;
  readonly maxBatchEvents: number;
  readonly maxBatchBytes: number;
}

/**
 * `appendMany` of the SQLite store: checks and serialises the batch with
 * the shared rules (one bad payload refuses it all, nothing stored), then
 * writes it as one pending append, so its events take contiguous seqs in
 * one transaction, or none does; a batch called while other appends are written
 * shares their group's transaction (group commit) and is never interleaved
 * with them, since each pending append is written whole before the next.
 *
 * @example
 * ```ts
 * return sqliteAppendMany((append) => this.#write(append), stream, payloads, expect, limits);
 * ```
 */
export async function sqliteAppendMany(
  write: WriteAppend,
  stream: string,
  payloads: readonly unknown[],
  expect: Seq | null | undefined,
  limits: AppendManyLimits,
): Promise<AppendManyResult> {
  const prepared = prepareAppendMany(stream, payloads, expect, limits);
  if (!prepared.ok) return prepared;
  return await write({ stream, payloads: prepared.json, expect });
}
