import type { Event } from './event.js';
import type { Seq } from './seq.js';

/**
 * A page of events, ascending. A page shorter than the limit asked for ends
 * the read, unless `more` is `true`: the adapter cut it short by its byte
 * budget (see {@link cutPage}) and the stream may go on after it.
 */
export type EventPage<P> = readonly Event<P>[] & { readonly more?: boolean };

/**
 * Reads up to `limit` events of one stream with seq > `after`, ascending; may
 * answer at once or later. To bound a page by bytes as well as by events,
 * return fewer events marked with {@link cutPage}: always at least one.
 */
export type ReadPage<P> = (after: Seq, limit: number) => Promise<EventPage<P>> | EventPage<P>;

/**
 * Marks a page that an adapter cut short of its event limit because its
 * payloads reached the page's byte budget, so that the reader asks for the
 * next page instead of ending the read. Returns the same array.
 *
 * @example
 * ```ts
 * const events = rows.slice(0, fitting).map(toEvent);
 * return fitting < rows.length ? cutPage(events) : events;
 * ```
 */
export function cutPage<P>(events: Event<P>[]): EventPage<P> {
  return Object.assign(events, { more: true as const });
}

const done: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** How a {@link PagedEventReader} reads. */
export interface PagedReadOptions {
  /**
   * Ask for the next page once half of the current one has been taken, so
   * that a page's round trip overlaps the caller's work on the page before
   * it. At most two pages are held; a reader stopped early drops the page
   * it asked for. For stores whose page reads wait on a server; off by
   * default.
   */
  readonly readAhead?: boolean;
}

/**
 * The lazy read of clause C4, for adapters: one keyset page in memory at a
 * time (two with `readAhead`), each page read after the last seq of the one
 * before, stopping at the first short page that is not marked
 * {@link cutPage} (a page an adapter bounded by bytes). Breaking out of the loop
 * (`return()`) stops it between pages; once a page asked for ahead has
 * arrived (and been dropped), the read holds nothing.
 *
 * A hand-written iterator rather than an async generator: a generator costs
 * two extra queue steps per event, which measured about 20 % of a
 * million-event read against the raw drivers; here an event costs one
 * resolved promise. A page read that answers synchronously (better-sqlite3)
 * is used at once; calls to `next()` that overlap a pending page wait for it,
 * in order.
 *
 * @example
 * ```ts
 * events(stream, from = 0) {
 *   const invalid = checkEvents(stream, from);
 *   return new PagedEventReader((after, limit) => this.#page(stream, after, limit), from, 1000, invalid, { readAhead: true });
 * }
 * ```
 */
export class PagedEventReader<P> implements AsyncIterableIterator<Event<P>, undefined> {
  readonly #readPage: ReadPage<P>;
  readonly #pageSize: number;
  #after: Seq;
  #page: EventPage<P> = [];
  #index = 0;
  #finished = false;
  #pending: Promise<IteratorResult<Event<P>, undefined>> | undefined;
  #failure: Error | undefined;
  readonly #readAhead: boolean;
  #ahead: Promise<EventPage<P>> | undefined;

  /** `failure`, when given, is what the first `next()` rejects with: a bad argument, a closed store. */
  constructor(readPage: ReadPage<P>, from: Seq, pageSize: number, failure?: Error, options: PagedReadOptions = {}) {
    this.#readPage = readPage;
    this.#after = from;
    this.#pageSize = pageSize;
    this.#failure = failure;
    this.#readAhead = options.readAhead === true;
  }

  next(): Promise<IteratorResult<Event<P>, undefined>> {
    if (this.#pending) return this.#pending.then(this.#retry, this.#retry);
    if (this.#failure) {
      const failure = this.#failure;
      this.#failure = undefined;
      this.#finish();
      return Promise.reject(failure);
    }
    const event = this.#page[this.#index];
    if (event !== undefined) {
      this.#index++;
      this.#maybeAskAhead();
      return Promise.resolve({ done: false, value: event });
    }
    if (this.#finished) return Promise.resolve(done);
    let page: Promise<EventPage<P>> | EventPage<P>;
    if (this.#ahead) {
      page = this.#ahead;
      this.#ahead = undefined;
    } else {
      try {
        page = this.#readPage(this.#after, this.#pageSize);
      } catch (error) {
        this.#finish();
        return Promise.reject(error);
      }
    }
    if (Array.isArray(page)) return Promise.resolve(this.#accept(page));
    this.#pending = Promise.resolve(page).then(
      (rows) => {
        this.#pending = undefined;
        return this.#finished ? done : this.#accept(rows); // return() may have come while the page was on its way
      },
      (error: unknown) => {
        this.#pending = undefined;
        this.#finish();
        throw error;
      },
    );
    return this.#pending;
  }

  return(): Promise<IteratorResult<Event<P>, undefined>> {
    this.#finish();
    return Promise.resolve(done);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  readonly #retry = (): Promise<IteratorResult<Event<P>, undefined>> => this.next();

  #accept(page: EventPage<P>): IteratorResult<Event<P>, undefined> {
    const first = page[0];
    const last = page.at(-1);
    if ((page.length < this.#pageSize && page.more !== true) || last === undefined) this.#finished = true;
    if (first === undefined || last === undefined) return done;
    this.#after = last.seq;
    this.#page = page;
    this.#index = 1;
    this.#maybeAskAhead();
    return { done: false, value: first };
  }

  /** With `readAhead`, asks for the next page once half of this one has been taken (at once for pages of one or two). */
  #maybeAskAhead(): void {
    if (this.#readAhead && !this.#ahead && !this.#finished && this.#index * 2 >= this.#page.length) this.#askAhead();
  }

  /** Starts reading the page after the current one; `next()` takes it up when the current one runs out. */
  #askAhead(): void {
    let page: Promise<EventPage<P>> | EventPage<P>;
    try {
      page = this.#readPage(this.#after, this.#pageSize);
    } catch (error) {
      page = Promise.reject(error);
    }
    const ahead = Promise.resolve(page);
    // Its failure reaches the caller through the next() that needs the page; a reader stopped first never needs it.
    ahead.catch(() => undefined);
    this.#ahead = ahead;
  }

  #finish(): void {
    this.#finished = true;
    this.#page = [];
    this.#index = 0;
    this.#ahead = undefined;
  }
}
