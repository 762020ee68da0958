import {
  BackendError,
  checkFeed,
  type FeedEvent,
  FeedNotifier,
  type FeedOptions,
  FeedReader,
  type FeedSource,
  PageBudget,
  StoreClosedError,
} from '@hume/core';
import { describeCause } from './open-sqlite-database.js';
import { prefixUpperBound } from './prefix-upper-bound.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTables } from './sqlite-schema.js';
import { watchWal } from './watch-wal.js';

/** Positions are the `position` column in 19 digits, the width of SQLite's largest integer: they sort as strings. */
const WIDTH = 19;
/** `ZEROS[n]` is n zeros: padding by lookup, measured about three times cheaper than `padStart` per event. */
const ZEROS = Array.from({ length: WIDTH + 1 }, (_, n) => '0'.repeat(n));
const POSITION = /^\d{19}$/;

/**
 * How often a waiting live feed asks SQLite whether another connection
 * committed (`PRAGMA data_version`, which reads shared memory, not the
 * file) where no watch of the log can be made (an in-memory or temporary
 * database, `fs.watch` refused), and while a transaction of the caller's
 * is open on the store's handle. Appends of this store wake its feeds at once.
 */
export const SQLITE_FEED_POLL_MS = 25;

/**
 * The same while a watch of the file's write-ahead log wakes waiting feeds
 * on other connections' and processes' commits (see {@link watchWal}): a
 * safety net for notifications that never come (a file system that does not
 * send them for other hosts' or VMs' writes, a watched folder deleted) and
 * commits that show more than 127 ms after their last write to the log,
 * seldom enough to leave an idle reader's CPU near zero.
 */
export const SQLITE_FEED_WATCHED_POLL_MS = 250;

/**
 * When a feed looks again after the log was written, in milliseconds, while
 * the commit is not visible yet: SQLite marks a commit in shared memory only
 * after writing its frames (and syncing them, at `durability: 'full'`),
 * which the watch does not see.
 */
// Stryker disable next-line ArrayDeclaration: latency only: without the looks after a write of the log, a commit not yet visible at the first look waits for the timer (250 ms)
const AFTER_LOG_WRITE_MS = [1, 2, 4, 8, 16, 32, 64];

/** How often a waiting live feed polls, with and without a watch of the log (tests lengthen them). */
export interface FeedPolls {
  readonly unwatched: number;
  readonly watched: number;
}

/**
 * A feed row as the page statements return it in raw mode: the payload's
 * text, or its size in bytes (a number) when it is over the page's
 * allowance (see {@link PageBudget}); `stream` null in the prefix page's
 * high-mark row.
 */
type FeedRow = [position: number, stream: string | null, seq: number, payload: string | number | null];

/**
 * The payload within the allowance `@allowance`, else its size: octet_length() reads the size from the
 * record header. One column (the column is TEXT, so a payload is never a number): two CASEs cost 4 % of a catch-up.
 */
const PAYLOAD_WITHIN = `CASE WHEN octet_length(payload) <= @allowance THEN payload ELSE octet_length(payload) END`;

/**
 * The SQLite store's global feed (clause C13). Appends take the write lock
 * before they insert, and each takes `max(position) + 1` inside that
 * transaction, so positions are given in commit order: when a reader sees a
 * position, every smaller one is committed already, and nothing can commit
 * behind it. A rolled-back append takes its position back with it.
 *
 * A feed filtered by prefix tests names on the position index, so two
 * things keep a sparse prefix from rescanning the whole table: a feed from
 * the start begins at the prefix's first position (one range of the primary
 * key), and each feed remembers how far its scans went through positions
 * that did not match, so a live feed woken by other streams' appends reads
 * only what is new.
 *
 * Live feeds of this store are woken by its own appends at once, and by
 * other connections' (other stores on the file, other processes) through
 * a watch of the file's write-ahead log, which wakes them at once, and
 * `PRAGMA data_version` on a timer ({@link SQLITE_FEED_WATCHED_POLL_MS}
 * behind the watch, {@link SQLITE_FEED_POLL_MS} without one), both only
 * while a live feed waits.
 *
 * @example
 * ```ts
 * const feed = new SqliteFeed(db, tables, 512, 4 * 2 ** 20, () => closed, 'events.db');
 * for await (const event of feed.read(undefined, { prefix: 'cart-' })) console.log(event.position);
 * ```
 */
export class SqliteFeed<P> {
  readonly #db: SqliteDatabase;
  readonly #page: SqliteStatement;
  readonly #prefixPage: SqliteStatement;
  readonly #prefixStart: SqliteStatement;
  readonly #dataVersion: SqliteStatement;
  readonly #pageSize: number;
  readonly #pageBytes: number;
  readonly #isClosed: () => boolean;
  readonly #notifier = new FeedNotifier();
  readonly #file: string | undefined;
  readonly #polls: FeedPolls;
  #timer: NodeJS.Timeout | undefined;
  #stopWatch: (() => void) | undefined;
  /** The next look after a write of the log, and how many were made since it. */
  #afterLogWrite: NodeJS.Timeout | undefined;
  #looksAfterLogWrite = 0;
  #lastDataVersion = 0;
  // Stryker disable next-line BooleanLiteral: equivalent, starting at true costs live feeds one empty look on the timer's first tick
  #inCallerTransaction = false;

  /** `file` is the database's main file (`databaseFile()`), whose log is watched while live feeds wait; `undefined` for none. */
  constructor(
    db: SqliteDatabase,
    tables: SqliteTables,
    pageSize: number,
    pageBytes: number,
    isClosed: () => boolean,
    file: string | undefined,
    // Stryker disable next-line ObjectLiteral: performance only: with no periods the timer runs at setInterval's least (1 ms), the feeds deliver the same
    polls: FeedPolls = { unwatched: SQLITE_FEED_POLL_MS, watched: SQLITE_FEED_WATCHED_POLL_MS },
  ) {
    this.#db = db;
    this.#file = file;
    this.#polls = polls;
    this.#pageSize = pageSize;
    this.#pageBytes = pageBytes;
    this.#isClosed = isClosed;
    const prepare = (source: string): SqliteStatement => db.prepare(source).safeIntegers(false);
    // Both scan the position index; it holds (stream, seq) too (the table is WITHOUT ROWID), so the
    // prefix is tested on the index entry and only matching events are looked up for their payload.
    this.#page = prepare(
      `SELECT position, stream, seq, ${PAYLOAD_WITHIN} FROM ${tables.events} WHERE position > @after ORDER BY position LIMIT @rows`,
    ).raw(true);
    // The last row, with a null stream, is the largest position in the same snapshot: when the page
    // comes back short, every position up to it was scanned.
    this.#prefixPage = prepare(
      `SELECT * FROM (
         SELECT position, stream, seq, ${PAYLOAD_WITHIN} FROM ${tables.events} WHERE position > @after AND substr(stream, 1, @characters) = @prefix ORDER BY position LIMIT @rows
       ) UNION ALL SELECT max(position), NULL, NULL, NULL FROM ${tables.events}`,
    ).raw(true);
    // Within a stream positions grow with seq, so the first position of a prefix is one range scan of the key.
    this.#prefixStart = prepare(`SELECT min(position) FROM ${tables.events} WHERE stream >= ? AND stream < ?`).pluck(true);
    // Stryker disable next-line BooleanLiteral: equivalent in behaviour, performance only (a row object never equals the last version, so idle live feeds would look for events on every tick); the benchmark's idle-CPU row sees it, a kit could only by timing
    this.#dataVersion = prepare('PRAGMA data_version').pluck(true);
    // Stryker disable next-line all: equivalent, a first look that finds the version changed from 0 costs one empty page
    this.#lastDataVersion = this.#readDataVersion();
  }

  /**
   * Wakes this store's live feeds after an append: at once when it has
   * committed, or once the caller's transaction it joined has ended (the
   * timer checks; SQLite does not see its own connection's commits in
   * `data_version`).
   */
  appended(): void {
    // kit scope: outside the contract — an append inside a transaction the application opened on a shared Database
    if (this.#db.inTransaction) {
      this.#inCallerTransaction = true;
      return;
    }
    // kit scope: end
    this.#notifier.notify();
  }

  /** A feed after `after`, as `EventStore.feed` gives it. */
  read(after: string | undefined, options: FeedOptions | undefined): AsyncIterableIterator<FeedEvent<P>, undefined> {
    const failure = this.#isClosed() ? new StoreClosedError('feed') : checkFeed(after, options, isPosition);
    // A bad prefix fails the first next(), before any page is read.
    const prefix = failure === undefined ? (options?.prefix ?? '') : '';
    const scan: PrefixScan = {
      prefix,
      characters: [...prefix].length,
      // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, the upper bound is used only when the prefix is not empty
      upperBound: prefix === '' ? undefined : prefixUpperBound(prefix),
      scanned: 0,
    };
    const budget = new PageBudget(this.#pageSize, this.#pageBytes);
    const source: FeedSource<P> = {
      readPage: (from, limit) => this.#readPage(from === undefined ? undefined : Number(from), limit, scan, budget),
      version: () => this.#notifier.version,
      waitForChange: (seen, signal) => this.#wait(seen, signal),
    };
    return new FeedReader(source, after, this.#pageSize, options ?? {}, failure);
  }

  /** Ends waiting live feeds and stops the timer. */
  // Stryker disable next-line BlockStatement: equivalent, the data_version timer runs while a feed waits and wakes it within 25 ms of close(), when its read rejects with CLOSED; this only makes that immediate
  close(): void {
    this.#stopTimer();
    this.#notifier.close();
  }

  #readPage(from: number | undefined, limit: number, scan: PrefixScan, budget: PageBudget): FeedEvent<P>[] {
    if (this.#isClosed()) throw new StoreClosedError('feed');
    let after = from ?? 0;
    try {
      // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, without a prefix no upper bound is known and nothing is recorded as scanned; with one, skipping this only scans more
      if (scan.prefix !== '') {
        if (from === undefined && scan.upperBound !== undefined) {
          const first = this.#prefixStart.get(scan.prefix, scan.upperBound) as number | null;
          // Stryker disable next-line ConditionalExpression: `false` is equivalent, performance only (with no event of the prefix yet, the page scan from position 0 finds none either); its caught `true` twin goes with it
          if (first === null) return [];
          after = first - 1;
        }
        after = Math.max(after, scan.scanned);
      }
      for (;;) {
        const rows = budget.rows(limit);
        const allowance = budget.rowBytes(rows);
        const found = (
          scan.prefix === ''
            ? this.#page.all({ after, rows, allowance })
            : this.#prefixPage.all({ after, rows, allowance, characters: scan.characters, prefix: scan.prefix })
        ) as FeedRow[];
        const page = this.#collect(found, rows, budget);
        if (page === undefined) continue; // its first payload was withheld: ask again for fewer rows
        // Inside a transaction the caller opened, what was scanned may still roll back and its positions be given again.
        // Stryker disable next-line ConditionalExpression,BooleanLiteral,MethodExpression: equivalent, performance only (a feed that records less of how far it scanned scans those positions again and finds the same); the caught `true` twin goes with them
        if (page.scannedTo !== undefined && !this.#db.inTransaction) scan.scanned = Math.max(scan.scanned, page.scannedTo);
        return page.events;
      }
    } catch (error) {
      throw new BackendError(`reading the feed after position ${after} failed: ${describeCause(error)}`, error);
    }
  }

  /**
   * The events of a page's rows up to the first withheld payload
   * (`undefined` when it is the first), and how far the scan went when the
   * page came back short (the high-mark row), so that nothing up to it
   * needs scanning again.
   */
  #collect(rows: FeedRow[], asked: number, budget: PageBudget): { events: FeedEvent<P>[]; scannedTo: number | undefined } | undefined {
    const events: FeedEvent<P>[] = [];
    // max(position) is null in an empty table: nothing was scanned then.
    let highMark: number | null = null;
    // Indexed, not destructured: this loop runs once per event of a catch-up.
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as FeedRow;
      const stream = row[1];
      const payload = row[3];
      // Stryker disable next-line BlockStatement: equivalent, performance only (without the high mark the feed records nothing as scanned and scans those positions again)
      if (stream === null) {
        highMark = row[0];
      } else if (typeof payload !== 'string') {
        budget.ended(payload as number);
        return events.length === 0 ? undefined : { events, scannedTo: undefined };
      } else {
        budget.sent(payload);
        const digits = String(row[0]);
        events.push({ position: `${ZEROS[WIDTH - digits.length]}${digits}`, stream, seq: row[2], payload: JSON.parse(payload) as P });
      }
    }
    budget.ended();
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, performance only (a page that reports less as scanned is scanned again); its caught `true` twin goes with them
    return { events, scannedTo: events.length < asked ? (highMark ?? undefined) : undefined };
  }

  async #wait(seen: number, signal: AbortSignal | undefined): Promise<void> {
    this.#startTimer();
    await this.#notifier.wait(seen, signal).finally(this.#stopWhenNoneWaits);
  }

  // Stryker disable next-line BlockStatement,ConditionalExpression: a timer and a watch left running after the last feed stops waiting (CPU and a handle that keeps the process up until close()): no kit case can see a timer; test/feed-wake.test.ts does
  readonly #stopWhenNoneWaits = (): void => {
    // Stryker disable next-line ConditionalExpression: as above
    if (this.#notifier.waiting === 0) this.#stopTimer();
  };

  /**
   * Starts looking for other connections' commits, from the data version of
   * the last look, not a fresh one: a commit made while the waking feed read
   * its last page would be in a fresh one, and no look would ever see it
   * change. So this looks at once (an empty page, when that page had it).
   */
  #startTimer(): void {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: a second timer and watch started beside the first, which #stopTimer leaves running (CPU and handles): no kit case can see a timer; test/feed-wake.test.ts does
    if (this.#timer !== undefined || this.#isClosed()) return;
    // kit scope: outside the contract — latency only: the watch of the log wakes live feeds on other connections' commits at once; the timer behind it delivers them too, later
    this.#stopWatch = this.#file === undefined ? undefined : watchWal(this.#file, this.#heardLogWrite);
    const every = this.#stopWatch === undefined ? this.#polls.unwatched : this.#polls.watched;
    // kit scope: end
    // Not unref'd: a process whose only work is a live feed must stay up for it.
    this.#timer = setInterval(this.#lookForCommits, every);
    // A commit made while the waking feed read its last page shows now; one whose frames were written
    // before the watch began, in the looks that follow.
    // Stryker disable next-line all: the kit cannot time a commit between a feed's last page and its wait (latency only: the next commit would wake it); test/feed-wake.test.ts does
    this.#heardLogWrite();
  }

  /**
   * Wakes live feeds when another connection committed, or a transaction of
   * the caller's that an append joined has ended. Returns whether it woke them.
   */
  readonly #lookForCommits = (): boolean => {
    // A notification of the log that was on its way when the last feed stopped waiting.
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: equivalent, a look with no feed waiting wakes none, and what it returns then only ends the looks after a write of the log, which #stopTimer ended
    if (this.#timer === undefined) return false;
    const version = this.#readDataVersion();
    // Stryker disable next-line ConditionalExpression,LogicalOperator,BooleanLiteral: equivalent for the kit, which never opens a transaction on the store's handle: outside one this is false, and a form that is true only wakes live feeds for one empty look per tick (performance, the benchmark's idle-CPU row sees it)
    const callerCommitted = this.#inCallerTransaction && !this.#db.inTransaction;
    // Stryker disable next-line ConditionalExpression: `true` is equivalent as above; its caught `false` twin (a tick that never wakes) goes with it
    // Stryker disable next-line BooleanLiteral: latency only: a look that says it woke feeds when it did not ends the looks after a write of the log early, and the timer (250 ms) delivers the commit
    if (version === this.#lastDataVersion && !callerCommitted) return false;
    this.#lastDataVersion = version;
    this.#inCallerTransaction = false;
    this.#notifier.notify();
    return true;
  };

  // kit scope: outside the contract — latency only: the looks that follow a write of the log (see #startTimer)
  /** The log was written: look now, and again a few times, soon, until its commit shows. */
  readonly #heardLogWrite = (): void => {
    clearTimeout(this.#afterLogWrite);
    this.#looksAfterLogWrite = 0;
    this.#lookAfterLogWrite();
  };

  readonly #lookAfterLogWrite = (): void => {
    this.#afterLogWrite = undefined;
    if (this.#lookForCommits() || this.#timer === undefined) return;
    // Inside a transaction of the caller's on this handle, others' commits show only once it ends: look as often as with no watch.
    const delay = AFTER_LOG_WRITE_MS[this.#looksAfterLogWrite++] ?? (this.#db.inTransaction ? this.#polls.unwatched : undefined);
    if (delay !== undefined) this.#afterLogWrite = setTimeout(this.#lookAfterLogWrite, delay);
  };
  // kit scope: end

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    // kit scope: outside the contract — latency only: the watch of the log (see #startTimer)
    this.#stopWatch?.();
    this.#stopWatch = undefined;
    clearTimeout(this.#afterLogWrite);
    this.#afterLogWrite = undefined;
    // kit scope: end
  }

  /** The data version, or a changed number when it cannot be read: a failing read then wakes feeds, which report it. */
  #readDataVersion(): number {
    try {
      // Stryker disable next-line ConditionalExpression,UnaryOperator,LogicalOperator: equivalent, reading a closed handle throws and gives NaN, and any number but the last version wakes feeds the same; the caught `true` twin goes with them
      return this.#isClosed() || !this.#db.open ? -1 : (this.#dataVersion.get() as number);
    } catch {
      return Number.NaN;
    }
  }
}

/** A prefix feed's filter and how far its scans have gone through positions that did not match. */
interface PrefixScan {
  readonly prefix: string;
  /** The prefix's length in code points, as `substr` counts. */
  readonly characters: number;
  readonly upperBound: string | undefined;
  scanned: number;
}

function isPosition(position: string): boolean {
  // Stryker disable next-line EqualityOperator: equivalent for the contract, `after` must be a position the store gave (C13.10) and none reaches 2^53 - 1
  return POSITION.test(position) && Number(position) <= Number.MAX_SAFE_INTEGER;
}
