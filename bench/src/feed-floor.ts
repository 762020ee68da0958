// The least a feed() can do: the raw driver's pages, each row made the
// event the contract hands out, one `await` per event. The catch-up
// scenarios run it beside the store so that the report separates what the
// contract's shape costs from what the adapter adds.

/** An event as `feed()` yields it (C13.1): a position string that sorts, the stream, its seq, the parsed payload. */
export interface FloorEvent {
  readonly position: string;
  readonly stream: string;
  readonly seq: number;
  readonly payload: unknown;
}

/**
 * An async iterator over `readPage`'s pages (each read after the one
 * before: the caller keeps the cursor) until a page comes back shorter
 * than `pageSize`: no checks, no
 * byte budget, no live mode, no read-ahead; the next page is read when the
 * last one is used up.
 *
 * @example
 * ```ts
 * for await (const event of feedFloor(() => nextRawPage(), 1_000)) read(event);
 * ```
 */
export function feedFloor(
  readPage: () => Promise<FloorEvent[]> | FloorEvent[],
  pageSize: number,
): AsyncIterableIterator<FloorEvent, undefined> {
  let page: FloorEvent[] = [];
  let index = 0;
  let ended = false;
  const nextPage = async (): Promise<IteratorResult<FloorEvent, undefined>> => {
    page = await readPage();
    index = 0;
    ended = page.length < pageSize;
    return iterator.next();
  };
  const iterator: AsyncIterableIterator<FloorEvent, undefined> = {
    next() {
      const event = page[index];
      if (event !== undefined) {
        index++;
        return Promise.resolve({ done: false, value: event });
      }
      return ended ? Promise.resolve({ done: true, value: undefined }) : nextPage();
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** `ZEROS[n]` is n zeros, the adapters' way to pad positions. */
export const ZEROS: readonly string[] = Array.from({ length: 21 }, (_, n) => '0'.repeat(n));
