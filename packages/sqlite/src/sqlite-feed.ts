import {
  BackendError,
  checkFeed,
  type FeedEvent,
  FeedNotifier,
  type FeedOptions,
  FeedReader,
  type FeedSource,
  StoreClosedError,
} from '@hume/core';
import { describeCause } from './open-sqlite-database.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTables } from './sqlite-schema.js';

/** Positions are the `position` column in 19 digits, the width of SQLite's largest integer: they sort as strings. */
const WIDTH = 19;
const POSITION = /^\d{19}$/;

/** A page stops after this much payload text (at least one event), so large payloads keep a page small. */
const PAGE_CHARACTERS = 4 << 20;

/**
 * How often a waiting live feed asks SQLite whether another connection
 * committed (`PRAGMA data_version`, which reads shared memory, not the
 * file). Appends of this store wake its feeds at once; this is the delay
 * for other processes' and other connections' appends.
 */
export const SQLITE_FEED_POLL_MS = 25;

/** A feed row as the page statements return it in raw mode. */
type FeedRow = [position: number, stream: string, seq: number, payload: string];

/**
 * The SQLite store's global feed (clause C13). Appends take the write lock
 * before they insert, and each takes `max(position) + 1` inside that
 * transaction, so positions are given in commit order: when a reader sees a
 * position, every smaller one is committed already, and nothing can commit
 * behind it. A rolled-back append takes its position back with it.
 *
 * Live feeds of this store are woken by its own appends at once, and by
 * other connections' (other stores on the file, other processes) through
 * `PRAGMA data_version` on a {@link SQLITE_FEED_POLL_MS} timer that runs
 * only while a live feed waits.
 *
 * @example
 * ```ts
 * const feed = new SqliteFeed(db, tables, 512, () => closed);
 * for await (const event of feed.read(undefined, { prefix: 'cart-' })) console.log(event.position);
 * ```
 */
export class SqliteFeed<P> {
  readonly #db: SqliteDatabase;
  readonly #page: SqliteStatement;
  readonly #prefixPage: SqliteStatement;
  readonly #dataVersion: SqliteStatement;
  readonly #pageSize: number;
  readonly #isClosed: () => boolean;
  readonly #notifier = new FeedNotifier();
  #timer: NodeJS.Timeout | undefined;
  #lastDataVersion = 0;
  #inCallerTransaction = false;

  constructor(db: SqliteDatabase, tables: SqliteTables, pageSize: number, isClosed: () => boolean) {
    this.#db = db;
    this.#pageSize = pageSize;
    this.#isClosed = isClosed;
    const prepare = (source: string): SqliteStatement => db.prepare(source).safeIntegers(false);
    // Both scan the position index; it holds (stream, seq) too (the table is WITHOUT ROWID), so the
    // prefix is tested on the index entry and only matching events are looked up for their payload.
    this.#page = prepare(`SELECT position, stream, seq, payload FROM ${tables.events} WHERE position > ? ORDER BY position LIMIT ?`).raw(
      true,
    );
    this.#prefixPage = prepare(
      `SELECT position, stream, seq, payload FROM ${tables.events} WHERE position > ? AND substr(stream, 1, ?) = ? ORDER BY position LIMIT ?`,
    ).raw(true);
    this.#dataVersion = prepare('PRAGMA data_version').pluck(true);
  }

  /**
   * Wakes this store's live feeds after an append: at once when it has
   * committed, or once the caller's transaction it joined has ended (the
   * timer checks; SQLite does not see its own connection's commits in
   * `data_version`).
   */
  appended(): void {
    if (this.#db.inTransaction) this.#inCallerTransaction = true;
    else this.#notifier.notify();
  }

  /** A feed after `after`, as `EventStore.feed` gives it. */
  read(after: string | undefined, options: FeedOptions | undefined): AsyncIterableIterator<FeedEvent<P>, undefined> {
    const failure = this.#isClosed() ? new StoreClosedError('feed') : checkFeed(after, options, isPosition);
    const prefix = options?.prefix ?? '';
    const source: FeedSource<P> = {
      readPage: (from, limit) => this.#readPage(from === undefined ? 0 : Number(from), limit, prefix),
      version: () => this.#notifier.version,
      waitForChange: (seen, signal) => this.#wait(seen, signal),
    };
    return new FeedReader(source, after, this.#pageSize, options ?? {}, failure);
  }

  /** Ends waiting live feeds and stops the timer. */
  close(): void {
    this.#stopTimer();
    this.#notifier.close();
  }

  #readPage(after: number, limit: number, prefix: string): FeedEvent<P>[] {
    if (this.#isClosed()) throw new StoreClosedError('feed');
    try {
      const rows = (
        prefix === '' ? this.#page.iterate(after, limit) : this.#prefixPage.iterate(after, [...prefix].length, prefix, limit)
      ) as IterableIterator<FeedRow>;
      const events: FeedEvent<P>[] = [];
      let characters = 0;
      for (const [position, stream, seq, payload] of rows) {
        events.push({ position: String(position).padStart(WIDTH, '0'), stream, seq, payload: JSON.parse(payload) as P });
        characters += payload.length;
        if (characters >= PAGE_CHARACTERS) break; // leaving the loop resets the statement
      }
      return events;
    } catch (error) {
      throw new BackendError(`reading the feed after position ${after} failed: ${describeCause(error)}`, error);
    }
  }

  async #wait(seen: number, signal: AbortSignal | undefined): Promise<void> {
    this.#startTimer();
    try {
      await this.#notifier.wait(seen, signal);
    } finally {
      if (this.#notifier.waiting === 0) this.#stopTimer();
    }
  }

  #startTimer(): void {
    if (this.#timer !== undefined || this.#isClosed()) return;
    this.#lastDataVersion = this.#readDataVersion();
    // Not unref'd: a process whose only work is a live feed must stay up for it.
    this.#timer = setInterval(() => {
      const version = this.#readDataVersion();
      const callerCommitted = this.#inCallerTransaction && !this.#db.inTransaction;
      if (version !== this.#lastDataVersion || callerCommitted) {
        this.#lastDataVersion = version;
        this.#inCallerTransaction = false;
        this.#notifier.notify();
      }
    }, SQLITE_FEED_POLL_MS);
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The data version, or a changed number when it cannot be read: a failing read then wakes feeds, which report it. */
  #readDataVersion(): number {
    try {
      return this.#isClosed() || !this.#db.open ? -1 : (this.#dataVersion.get() as number);
    } catch {
      return Number.NaN;
    }
  }
}

function isPosition(position: string): boolean {
  return POSITION.test(position) && Number(position) <= Number.MAX_SAFE_INTEGER;
}
