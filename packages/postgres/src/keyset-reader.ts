import type { Event, Seq } from '@hume/core';

/** Fetches up to `limit` events with seq > `after`, ascending. */
export type FetchPage<P> = (after: Seq, limit: number) => Promise<Event<P>[]>;

const done: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The lazy read of clause C4 as a hand-written async iterator: one page in
 * memory, each page fetched after the last seq yielded, stopping at the
 * first short page. Events of a fetched page are handed out as already
 * resolved promises, one async step per event, rather than through the two
 * async generator frames per event of `yield* pagedEvents(…)`: on a
 * million-event read that per-event cost is what separates an adapter from
 * the raw driver. Calls to `next()` made while a page is being fetched wait
 * for it, in order, as an async generator's would.
 *
 * @example
 * ```ts
 * const reader = new KeysetReader((after, limit) => fetchPage(stream, after, limit), 0, 1000);
 * for await (const event of reader) console.log(event.seq);
 * ```
 */
export class KeysetReader<P> implements AsyncIterableIterator<Event<P>, undefined> {
  readonly #fetchPage: FetchPage<P>;
  readonly #pageSize: number;
  #after: Seq;
  #page: Event<P>[] = [];
  #index = 0;
  #finished = false;
  #pending: Promise<IteratorResult<Event<P>, undefined>> | undefined;
  #failure: { error: unknown } | undefined;

  /** `failure`, when given, is what the first `next()` rejects with (a bad argument, a closed store). */
  constructor(fetchPage: FetchPage<P>, from: Seq, pageSize: number, failure?: { error: unknown }) {
    this.#fetchPage = fetchPage;
    this.#after = from;
    this.#pageSize = pageSize;
    this.#failure = failure;
  }

  next(): Promise<IteratorResult<Event<P>, undefined>> {
    if (this.#pending)
      return this.#pending.then(
        () => this.next(),
        () => this.next(),
      );
    if (this.#failure) {
      const { error } = this.#failure;
      this.#failure = undefined;
      this.#finished = true;
      return Promise.reject(error);
    }
    const event = this.#page[this.#index];
    if (event !== undefined) {
      this.#index++;
      return Promise.resolve({ done: false, value: event });
    }
    if (this.#finished) return Promise.resolve(done);
    this.#pending = this.#fetchNext();
    return this.#pending;
  }

  return(): Promise<IteratorResult<Event<P>, undefined>> {
    this.#finish();
    return Promise.resolve(done);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async #fetchNext(): Promise<IteratorResult<Event<P>, undefined>> {
    try {
      const page = await this.#fetchPage(this.#after, this.#pageSize);
      if (this.#finished) return done; // return() was called while the page was on its way
      const last = page.at(-1);
      if (page.length < this.#pageSize || last === undefined) this.#finished = true;
      if (last === undefined) return done;
      this.#after = last.seq;
      this.#page = page;
      this.#index = 1;
      return { done: false, value: page[0] as Event<P> };
    } catch (error) {
      this.#finish();
      throw error;
    } finally {
      this.#pending = undefined;
    }
  }

  #finish(): void {
    this.#finished = true;
    this.#page = [];
    this.#index = 0;
  }
}
