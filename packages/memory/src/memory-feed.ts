import {
  checkFeed,
  type Event,
  type FeedEvent,
  FeedNotifier,
  type FeedOptions,
  FeedReader,
  type FeedSource,
  StoreClosedError,
} from '@hume/core';

/** Positions are the event's index in the log, from 1, in 16 digits: up to 2^53 events sort as strings. */
const WIDTH = 16;
const POSITION = /^\d{16}$/;

function position(index: number): string {
  return String(index + 1).padStart(WIDTH, '0');
}

/**
 * The memory store's global feed (clause C13): one array of every event in
 * append order. An append is atomic (no await), so append order is commit
 * order and a position is final the moment it exists: nothing can commit
 * behind a reader. Live feeds wait on a {@link FeedNotifier} that each
 * append wakes.
 *
 * @example
 * ```ts
 * const feed = new MemoryFeed(256);
 * feed.add('cart-1', Object.freeze({ seq: 1, payload: { type: 'opened' } }));
 * for await (const event of feed.read(undefined, {})) console.log(event.position);
 * ```
 */
export class MemoryFeed<P> {
  /** Every event in append order, with its stream beside it: positions and feed events are made as they are read, so an append allocates nothing here. */
  readonly #streams: string[] = [];
  readonly #events: Event<P>[] = [];
  readonly #notifier = new FeedNotifier();
  readonly #pageSize: number;
  #closed = false;

  constructor(pageSize: number) {
    this.#pageSize = pageSize;
  }

  /** Records an event the store has just stored (the same frozen event), and wakes live feeds. */
  add(stream: string, event: Event<P>): void {
    this.#streams.push(stream);
    this.#events.push(event);
    this.#notifier.notify();
  }

  /** A feed after `after`, as `EventStore.feed` gives it. */
  read(after: string | undefined, options: FeedOptions | undefined): AsyncIterableIterator<FeedEvent<P>, undefined> {
    const failure = this.#closed ? new StoreClosedError('feed') : checkFeed(after, options, (p) => POSITION.test(p));
    const prefix = options?.prefix ?? '';
    const source: FeedSource<P> = {
      readPage: (from, limit) => this.#page(from, limit, prefix),
      version: () => this.#notifier.version,
      waitForChange: (seen, signal) => this.#notifier.wait(seen, signal),
    };
    return new FeedReader(source, after, this.#pageSize, options ?? {}, failure);
  }

  /** Ends waiting live feeds and drops the log. */
  close(): void {
    this.#closed = true;
    this.#streams.length = 0;
    this.#events.length = 0;
    this.#notifier.close();
  }

  #page(after: string | undefined, limit: number, prefix: string): FeedEvent<P>[] {
    if (this.#closed) throw new StoreClosedError('feed');
    const page: FeedEvent<P>[] = [];
    // Scans on to fill the page: an empty page must mean caught up, so none may come back empty early.
    for (let index = after === undefined ? 0 : Number(after); index < this.#events.length && page.length < limit; index++) {
      const stream = this.#streams[index] as string;
      if (prefix !== '' && !stream.startsWith(prefix)) continue;
      const { seq, payload } = this.#events[index] as Event<P>;
      page.push(Object.freeze({ position: position(index), stream, seq, payload }));
    }
    return page;
  }
}
