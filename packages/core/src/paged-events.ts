import type { Event } from './event.js';
import type { Seq } from './seq.js';

/** Reads up to `limit` events of one stream with seq > `after`, ascending. */
export type ReadPage<P> = (after: Seq, limit: number) => Promise<readonly Event<P>[]> | readonly Event<P>[];

/**
 * Turns a keyset page reader into the lazy read of clause C4: one page in
 * memory at a time, each page starting after the last seq yielded. Stops at
 * the first short page. Breaking out of the loop stops it between pages.
 *
 * @example
 * ```ts
 * yield* pagedEvents((after, limit) => select.all(stream, after, limit), from, 500);
 * ```
 */
export async function* pagedEvents<P>(readPage: ReadPage<P>, from: Seq, pageSize: number): AsyncGenerator<Event<P>, void, undefined> {
  let after = from;
  for (;;) {
    const page = await readPage(after, pageSize);
    for (const event of page) yield event;
    const last = page.at(-1);
    if (page.length < pageSize || last === undefined) return;
    after = last.seq;
  }
}
