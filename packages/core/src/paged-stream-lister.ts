import { checkStreamsOptions } from './check-streams-options.js';
import { prefixEnd } from './compare-stream-names.js';
import type { StreamInfo, StreamsOptions } from './stream-listing.js';

/**
 * The names one page of a listing may have: above `after` (exclusive, when
 * set), from `from` (inclusive) and below `to` (exclusive, when set), in
 * code-point order.
 */
export interface StreamRange {
  readonly after: string | undefined;
  readonly from: string;
  readonly to: string | undefined;
}

/** Reads up to `limit` streams in `range`, ascending by name; may answer at once or later. */
export type ReadStreamsPage = (range: StreamRange, limit: number) => Promise<readonly StreamInfo[]> | readonly StreamInfo[];

/**
 * The lazy listing of clause C12, for adapters: checks the options, then
 * reads keyset pages of at most `pageSize` streams, each after the last name
 * of the one before, until a short page or `limit`. A prefix becomes a name
 * range (`prefix` to {@link prefixEnd}), so an index on the name serves it.
 * `failure`, when given, is what the first `next()` rejects with (a closed
 * store).
 *
 * @example
 * ```ts
 * streams(options?: StreamsOptions): AsyncIterable<StreamInfo> {
 *   return listStreamsPaged((range, limit) => this.#streamsPage(range, limit), options, 512);
 * }
 * ```
 */
export async function* listStreamsPaged(
  readPage: ReadStreamsPage,
  options: StreamsOptions | undefined,
  pageSize: number,
  failure?: Error,
): AsyncGenerator<StreamInfo, undefined, undefined> {
  if (failure) throw failure;
  const invalid = checkStreamsOptions(options);
  if (invalid) throw invalid;
  const prefix = options?.prefix ?? '';
  let remaining = options?.limit ?? Number.POSITIVE_INFINITY;
  const to = prefixEnd(prefix);
  let after = options?.after;
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining);
    const page = await readPage({ after, from: prefix, to }, limit);
    for (const info of page) yield info;
    remaining -= page.length;
    const last = page.at(-1);
    if (page.length < limit || last === undefined) return undefined;
    after = last.stream;
  }
  return undefined;
}
