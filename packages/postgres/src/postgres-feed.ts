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
import type pg from 'pg';
import { FeedChannel, type ListenState } from './postgres-feed-channel.js';
import type { FeedLag } from './postgres-feed-lag.js';
import { type FeedSql, feedSqlFor, likePrefix } from './postgres-feed-sql.js';
import type { ResolvedOptions } from './postgres-options.js';

/**
 * Runs SQL the way the store runs its statements (retries, BACKEND errors):
 * rows as arrays of text. `prepared: false` sends it unnamed, planned for
 * its values each time.
 */
export type FeedQuery = (operation: string, text: string, values: unknown[], prepared?: boolean) => Promise<(string | null)[][]>;

/** A position is `tx-position`: the transaction id in 20 digits (xid8's width) and the sequence's value in 19. */
const POSITION = /^(\d{20})-(\d{19})$/;
const MAX_TX = '18446744073709551615';
const MAX_POSITION = '9223372036854775807';
/** `ZEROS[n]` is n zeros: padding by lookup, measured about three times cheaper than `padStart` per event. */
const ZEROS = Array.from({ length: 21 }, (_, n) => '0'.repeat(n));

/**
 * How soon a feed held back by a running transaction looks again, at first;
 * each look that finds it still held doubles the delay, up to
 * {@link HELD_POLL_MAX_MS}. A transaction of this store's (or of another
 * Hume store's) that ends sends a notification at once; the timer is for
 * other sessions' transactions, which send none.
 */
const HELD_POLL_MS = 20;
const HELD_POLL_MAX_MS = 1_000;
/** How often a live feed looks while the store's listening connection is down (it reconnects meanwhile). */
const UNHEARD_POLL_MS = 250;
/**
 * How often an idle live feed looks anyway: a notification lost on its way
 * (a writer that died between its commit and its NOTIFY) costs at most
 * this much latency, never an event.
 */
const QUIET_POLL_MS = 5_000;

/**
 * The PostgreSQL store's global feed (clause C13). Each event records a
 * transaction id (`tx`, an `xid8`, see the schema) and a `position` from a
 * sequence. The feed is ordered by `(tx, position)` and reads only events
 * whose `tx` is below `pg_snapshot_xmin(pg_current_snapshot())`: every
 * transaction below that horizon has ended, so no event can commit later
 * behind a position already given (a sequence alone would: its values are
 * taken before commit). The resume cursor is the whole sort key, so pages
 * never skip or repeat at a boundary, and the caught-up query is a range
 * scan of the `(tx, position)` index.
 *
 * Live feeds are woken at once by this store's appends, and by other
 * stores' and processes' through LISTEN on one connection per store (see
 * {@link FeedChannel}). A feed held back by a running transaction looks
 * again on a short timer, and an idle one on a long one.
 *
 * @example
 * ```ts
 * const feed = new PostgresFeed(pool.options, options, query, () => closed);
 * for await (const event of feed.read(undefined, { prefix: 'cart-' })) console.log(event.position);
 * ```
 */
export class PostgresFeed<P> {
  readonly #options: ResolvedOptions;
  readonly #query: FeedQuery;
  readonly #isClosed: () => boolean;
  readonly #notifier = new FeedNotifier();
  readonly #channel: FeedChannel;
  readonly #sql: FeedSql;
  #checkedDistribution: Promise<void> | undefined;

  constructor(connection: pg.ClientConfig, options: ResolvedOptions, query: FeedQuery, isClosed: () => boolean) {
    this.#options = options;
    this.#query = query;
    this.#isClosed = isClosed;
    this.#sql = feedSqlFor(options);
    // Stryker disable next-line ArrowFunction: latency only: other stores' and processes' appends, heard on the listening connection, wake the live feeds at once; without it they see them at their next look (5 s)
    const wake = (): void => this.#notifier.notify();
    // One channel per table: stores of other schemas or prefixes on the server do not wake these feeds.
    // Stryker disable next-line StringLiteral,ArrowFunction: latency only: the listening channel's name and wake-ups (postgres-feed-channel.ts, outside the kit's scope)
    this.#channel = new FeedChannel(connection, `hume_feed_${hash(options.events)}`, { heard: wake, lost: wake });
  }

  /** Call after appends of this store committed: wakes its live feeds, and others' through one coalesced NOTIFY. */
  // Stryker disable next-line BlockStatement: latency only: wakes this store's live feeds and notifies other stores' at once; without it they wake at their next look (5 s)
  appended(): void {
    this.#notifier.notify();
    this.#channel.notify();
  }

  /** A feed after `after`, as `EventStore.feed` gives it. */
  read(after: string | undefined, options: FeedOptions | undefined): AsyncIterableIterator<FeedEvent<P>, undefined> {
    // Stryker disable next-line StringLiteral: the operation named in an error message (the kit requires the code, never the words)
    const failure = this.#isClosed() ? new StoreClosedError('feed') : checkFeed(after, options, isPosition);
    const prefix = options?.prefix ?? '';
    let heldLooks = 0;
    const budget = new PageBudget(this.#options.readPageSize, this.#options.readPageBytes);
    const source: FeedSource<P> = {
      readPage: (from, limit) => this.#readPage(from, limit, prefix, budget),
      version: () => this.#notifier.version,
      waitForChange: async (seen, signal) => {
        heldLooks = await this.#wait(seen, signal, heldLooks);
      },
    };
    // Reading ahead overlaps a page's round trip with the caller's work on the page before it.
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: performance only: a feed that failed at once reads nothing ahead, and reading ahead changes no page
    const readerOptions = failure === undefined ? { ...options, readAhead: true } : {};
    return new FeedReader(source, after, this.#options.readPageSize, readerOptions, failure);
  }

  /** See {@link FeedLag}. */
  // kit scope: outside the contract — feedLag(), an API of this adapter's own
  async lag(): Promise<FeedLag> {
    const [[held, ms, pid] = []] = await this.#query('feedLag', this.#sql.lag, []);
    return {
      heldEvents: Number(held),
      oldestTransactionMs: ms == null ? 0 : Number(ms),
      oldestTransactionPid: pid == null ? null : Number(pid),
      // kit scope: end
    };
  }

  /** Ends waiting live feeds and the listening connection. */
  async close(): Promise<void> {
    this.#notifier.close();
    await this.#channel.close();
  }

  async #readPage(after: string | undefined, limit: number, prefix: string, budget: PageBudget): Promise<FeedEvent<P>[]> {
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent for the contract: a page read under way at close() may complete (C8.6), and the message's words are not checked
    if (this.#isClosed()) throw new StoreClosedError('feed');
    // Stryker disable next-line AssignmentOperator: the check for a table Citus distributed: on a server without Citus it finds nothing; the Citus suite (pnpm test:citus) runs the kit there
    this.#checkedDistribution ??= this.#refuseDistributed();
    await this.#checkedDistribution;
    // Stryker disable next-line ArrayDeclaration: equivalent: an array with one item leaves both defaults in place
    const [, padded = '0', position = '0'] = after === undefined ? [] : (POSITION.exec(after) as RegExpExecArray);
    // xid8's input reads a leading 0 as octal (as C's strtoul with base 0): send the digits unpadded.
    // Stryker disable next-line Regex: equivalent: positions pad the transaction id to 20 digits, so the first run of zeros is the leading one
    const tx = padded.replace(/^0+(?=\d)/, '');
    for (;;) {
      const rows = budget.rows(limit);
      const values = [tx, position, rows, budget.rowBytes(rows)];
      const page =
        // Stryker disable next-line ConditionalExpression,StringLiteral: performance only: the prefix statement given the empty prefix reads the same page
        prefix === ''
          ? // Stryker disable next-line StringLiteral: the operation named in an error message (the kit requires the code, never the words)
            await this.#query('reading the feed', this.#sql.page, values)
          : await this.#query(
              // Stryker disable next-line StringLiteral: the operation named in an error message (the kit requires the code, never the words)
              `reading the feed of ${JSON.stringify(prefix)}`,
              this.#sql.prefixPage,
              [...values, likePrefix(prefix)],
              // Stryker disable next-line BooleanLiteral: performance only: the prefix page, prepared, would be planned generically
              false,
            );
      // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent for the contract: a page arriving after close() may also complete (C8.6), and the CLOSED error's words are not checked
      if (this.#isClosed()) throw new StoreClosedError('feed');
      const events = toFeedEvents<P>(page, budget);
      // A page shortened by the budget ends the reader's page; the reader asks again until one is empty.
      if (events !== undefined) return events;
    }
  }

  /**
   * A feed across Citus shards would need one horizon for transactions on
   * many servers, which PostgreSQL's snapshot does not give: refuse rather
   * than risk skipping (C13.11).
   */
  async #refuseDistributed(): Promise<void> {
    try {
      // Two steps: a query naming Citus's catalog fails to parse where Citus is not installed.
      // Stryker disable next-line ArrayDeclaration,StringLiteral: the check for a table Citus distributed: on a server without Citus it finds nothing; the Citus suite (pnpm test:citus) runs the kit there; unreachable: the query returns one row
      const [[citus] = []] = await this.#query('feed', `SELECT (to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL)::text`, []);
      // kit scope: outside the contract — placement on Citus (option citus); the Citus suite (pnpm test:citus) runs the kit there
      if (citus !== 'true') return;
      const [[distributed] = []] = await this.#query(
        'feed',
        'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = to_regclass($1))::text',
        [this.#options.events],
      );
      if (distributed === 'true') {
        throw new BackendError(
          `the feed is unavailable on ${this.#options.events}: it is distributed by Citus, and transactions on several workers have no common horizon below which no event can still commit, so a feed could skip events; read each stream with events() instead`,
          new Error('distributed table'),
          // kit scope: end
        );
      }
      // kit scope: outside the contract — a Citus check that fails: the next page checks again; no kit hook fails exactly that query
    } catch (error) {
      this.#checkedDistribution = undefined;
      throw error;
      // kit scope: end
    }
  }

  /**
   * Waits until events may have committed: a notification, or a timer when
   * committed events wait behind a running transaction (that transaction's
   * end sends none when it is not a Hume append), when the listening
   * connection is down, and a long one otherwise. Returns how many looks in
   * a row found the feed held back.
   */
  async #wait(seen: number, signal: AbortSignal | undefined, heldLooks: number): Promise<number> {
    // Notifications sent before LISTEN took effect were not heard: read once more first.
    const state = await this.#channel.listen();
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,StringLiteral,OptionalChaining: latency only: how soon a live feed looks again (the contract does not time delivery; the benchmark's live-delivery rows do); the `true` twin, a feed that never sleeps, fails C13.7's idle case and goes with it
    if (state === 'started' || this.#notifier.version !== seen || signal?.aborted) return 0;
    this.#channel.hold();
    return this.#sleep(seen, signal, heldLooks, state).finally(
      // Stryker disable next-line ArrowFunction: equivalent for the contract: the listening connection's hold on the process (postgres-feed-channel.ts, outside the kit's scope) is let go at close() anyway
      () => this.#channel.release(),
    );
  }

  /** The wait of {@link #wait} once it holds the listening connection: until a change, the signal, or a timer. */
  async #sleep(seen: number, signal: AbortSignal | undefined, heldLooks: number, state: ListenState): Promise<number> {
    const held = await this.#held();
    // Stryker disable next-line MethodExpression,ArithmeticOperator,ConditionalExpression,EqualityOperator,StringLiteral: latency only: how soon a live feed looks again (the contract does not time delivery; the benchmark's live-delivery rows do; a feed that never sleeps fails C13.7's idle case)
    const delay = held ? Math.min(HELD_POLL_MAX_MS, HELD_POLL_MS * 2 ** heldLooks) : state === 'down' ? UNHEARD_POLL_MS : QUIET_POLL_MS;
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), delay);
    const stop = (): void => timer.abort();
    // Stryker disable next-line OptionalChaining,ObjectLiteral,BooleanLiteral: equivalent: the reader always passes a signal, and the listener is removed after the wait whether it fired or not
    signal?.addEventListener('abort', stop, { once: true });
    // An abort while this feed looked at the horizon above fired no listener: end the wait now.
    // Stryker disable next-line OptionalChaining: equivalent: the reader always passes a signal
    if (signal?.aborted) stop();
    await this.#notifier.wait(seen, timer.signal).finally(
      // Stryker disable next-line BlockStatement: memory only: the timer left to fire once and the listener left on the reader's signal
      () => {
        clearTimeout(timeout);
        // Stryker disable next-line OptionalChaining,StringLiteral: memory only: a listener left on the reader's signal after each wait (a slow leak over a long-lived feed that no case runs long enough to see)
        signal?.removeEventListener('abort', stop);
      },
    );
    // Stryker disable next-line ArithmeticOperator: latency only: how soon a live feed looks again (the contract does not time delivery; the benchmark's live-delivery rows do; a feed that never sleeps fails C13.7's idle case)
    return held ? heldLooks + 1 : 0;
  }

  /** Whether committed events wait behind a running transaction. */
  async #held(): Promise<boolean> {
    try {
      // Stryker disable next-line ArrayDeclaration,StringLiteral: the operation named in an error message (the kit requires the code, never the words); unreachable: the query returns one row
      const [[held] = []] = await this.#query('feed', this.#sql.held, []);
      // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: latency only: how soon a live feed looks again (the contract does not time delivery; the benchmark's live-delivery rows do; a feed that never sleeps fails C13.7's idle case)
      return held === 't';
      // kit scope: outside the contract — a look at the visibility horizon that fails between two page reads that succeed: no kit hook can time a fault there, and the next page read reports a lasting one (C13.11)
    } catch {
      return true; // look again soon: the page read will report a lasting failure
      // kit scope: end
    }
  }
}

function isPosition(position: string): boolean {
  const match = POSITION.exec(position);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: positions past the largest this store gives: a kit cannot make one (positions are opaque to it)
  return match !== null && (match[1] as string) <= MAX_TX && (match[2] as string) <= MAX_POSITION;
}

/** A short, stable hex digest for a channel name (identifiers stop at 63 bytes). */
// Stryker disable next-line BlockStatement: latency only: the listening channel's name (postgres-feed-channel.ts, outside the kit's scope)
function hash(text: string): string {
  let h = 0x811c9dc5;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: latency only: the listening channel's name (postgres-feed-channel.ts, outside the kit's scope)
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  // Stryker disable next-line StringLiteral: latency only: the listening channel's name (postgres-feed-channel.ts, outside the kit's scope)
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The events of a page's rows up to the first withheld payload; `undefined` when it is the first (ask again). */
function toFeedEvents<P>(rows: (string | null)[][], budget: PageBudget): FeedEvent<P>[] | undefined {
  const events: FeedEvent<P>[] = [];
  try {
    // Indexed, not destructured: this loop runs once per event of a catch-up.
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as (string | null)[];
      const tx = row[0] as string;
      const position = row[1] as string;
      const payload = row[4] as string;
      const withheldBytes = row[5];
      if (withheldBytes != null) {
        budget.ended(Number(withheldBytes));
        // Stryker disable next-line ConditionalExpression: performance only: the rows before a withheld payload are read again with the next page
        return events.length === 0 ? undefined : events;
      }
      budget.sent(payload);
      events.push({
        position: `${ZEROS[20 - tx.length]}${tx}-${ZEROS[19 - position.length]}${position}`,
        stream: row[2] as string,
        seq: Number(row[3]),
        payload: JSON.parse(payload) as P,
      });
    }
    // kit scope: outside the contract — a server answer that breaks its column's type (a payload that is not JSON, in a json column): no kit target can make PostgreSQL return one
  } catch (error) {
    throw new BackendError(`reading the feed failed: ${error instanceof Error ? error.message : String(error)}`, error);
    // kit scope: end
  }
  budget.ended();
  return events;
}
