import type { FeedEvent } from './feed-event.js';

/**
 * What a {@link FeedReader} reads from: an adapter's feed pages and its way
 * of waiting for commits.
 */
export interface FeedSource<P> {
  /**
   * Up to `limit` events after `after` (from the start when `undefined`), in
   * feed order, none of which an event committing later may sort before
   * (C13.5). May return fewer (a byte budget); an empty page means none now.
   */
  readPage(after: string | undefined, limit: number): Promise<readonly FeedEvent<P>[]> | readonly FeedEvent<P>[];
  /** A number that changes whenever events may have been committed; read before each page. */
  version(): number;
  /** Resolves once `version()` may differ from `seen`, or `signal` aborts. Only live feeds call it. */
  waitForChange(seen: number, signal: AbortSignal | undefined): Promise<void>;
}

/** How a {@link FeedReader} reads: the options of `feed` that concern it. */
export interface FeedReaderOptions {
  readonly live?: boolean;
  readonly signal?: AbortSignal;
  readonly onCaughtUp?: (position: string | undefined) => void;
  /**
   * Asks for the next page as soon as a full page arrives, so that its
   * round trip overlaps the caller's work on this one (a store whose pages
   * come over a network): the reader then holds at most two pages.
   */
  readonly readAhead?: boolean;
}

/** A page asked for ahead, with the source's version read before it. */
interface Ahead<P> {
  readonly seen: number;
  readonly page: Promise<readonly FeedEvent<P>[]>;
}

const done: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The feed of clause C13, for adapters: pages read after the last position
 * yielded, one page in memory at a time; an empty page means caught up, so
 * a store may cut pages short (by bytes) without ending the feed. Live, it
 * then waits on the source (no polling) and reads again; the signal or
 * `return()` ends it between pages or while it waits, and what it waits on
 * is released.
 *
 * @example
 * ```ts
 * feed(after, options) {
 *   const invalid = checkFeed(after, options, isMyPosition);
 *   return new FeedReader(mySource(options?.prefix), after, 500, options ?? {}, invalid);
 * }
 * ```
 */
export class FeedReader<P> implements AsyncIterableIterator<FeedEvent<P>, undefined> {
  readonly #source: FeedSource<P>;
  readonly #pageSize: number;
  readonly #live: boolean;
  readonly #signal: AbortSignal | undefined;
  readonly #onCaughtUp: ((position: string | undefined) => void) | undefined;
  readonly #readAhead: boolean;
  #ahead: Ahead<P> | undefined;
  #after: string | undefined;
  #page: readonly FeedEvent<P>[] = [];
  #index = 0;
  #finished = false;
  #pending: Promise<IteratorResult<FeedEvent<P>, undefined>> | undefined;
  #failure: Error | undefined;
  /** Whether `onCaughtUp` was called since the last page with events. */
  #reported = false;
  /** Aborted by `return()` or by the caller's signal, so that a wait in progress ends too. */
  readonly #stop = new AbortController();
  readonly #abort = (): void => this.#stop.abort();

  /** `failure`, when given, is what the first `next()` rejects with: a bad argument, a closed store. */
  constructor(source: FeedSource<P>, after: string | undefined, pageSize: number, options: FeedReaderOptions = {}, failure?: Error) {
    this.#source = source;
    this.#after = after;
    this.#pageSize = pageSize;
    this.#failure = failure;
    this.#live = failure === undefined && options.live === true;
    this.#signal = failure === undefined ? options.signal : undefined;
    this.#onCaughtUp = failure === undefined ? options.onCaughtUp : undefined;
    this.#readAhead = options.readAhead === true;
    // One listener for the reader's life (not one per wait), removed when it finishes.
    if (this.#signal?.aborted) this.#stop.abort();
    else this.#signal?.addEventListener('abort', this.#abort, { once: true });
  }

  next(): Promise<IteratorResult<FeedEvent<P>, undefined>> {
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
      return Promise.resolve({ done: false, value: event });
    }
    if (this.#finished || this.#aborted()) {
      this.#finish();
      return Promise.resolve(done);
    }
    this.#pending = this.#fetch().then(
      (result) => {
        this.#pending = undefined;
        return result;
      },
      (error: unknown) => {
        this.#pending = undefined;
        this.#finish();
        throw error;
      },
    );
    return this.#pending;
  }

  return(): Promise<IteratorResult<FeedEvent<P>, undefined>> {
    this.#finish();
    return Promise.resolve(done);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  readonly #retry = (): Promise<IteratorResult<FeedEvent<P>, undefined>> => this.next();

  /** Reads pages until one has events, waiting between them when live; `done` once caught up (not live) or stopped. */
  async #fetch(): Promise<IteratorResult<FeedEvent<P>, undefined>> {
    for (;;) {
      const ahead = this.#ahead;
      this.#ahead = undefined;
      const seen = ahead ? ahead.seen : this.#source.version();
      const page = await (ahead ? ahead.page : this.#source.readPage(this.#after, this.#pageSize));
      if (this.#finished || this.#aborted()) {
        this.#finish();
        return done;
      }
      const first = page[0];
      if (first !== undefined) {
        this.#after = (page.at(-1) as FeedEvent<P>).position;
        this.#page = page;
        this.#index = 1;
        this.#reported = false;
        if (this.#readAhead && page.length >= this.#pageSize) this.#askAhead();
        return { done: false, value: first };
      }
      if (!this.#reported) {
        this.#reported = true;
        this.#onCaughtUp?.(this.#after);
      }
      if (!this.#live) {
        this.#finish();
        return done;
      }
      await this.#source.waitForChange(seen, this.#stop.signal);
      if (this.#finished || this.#aborted()) {
        this.#finish();
        return done;
      }
    }
  }

  /** Starts reading the page after the current one; the next page read takes it up. */
  #askAhead(): void {
    const seen = this.#source.version();
    let page: Promise<readonly FeedEvent<P>[]>;
    try {
      page = Promise.resolve(this.#source.readPage(this.#after, this.#pageSize));
    } catch (error) {
      page = Promise.reject(error);
    }
    // Its failure reaches the caller through the next() that needs the page; a reader stopped first never needs it.
    page.catch(() => undefined);
    this.#ahead = { seen, page };
  }

  #aborted(): boolean {
    return this.#signal?.aborted === true;
  }

  #finish(): void {
    this.#finished = true;
    this.#page = [];
    this.#index = 0;
    this.#ahead = undefined;
    this.#signal?.removeEventListener('abort', this.#abort);
    this.#stop.abort();
  }
}
