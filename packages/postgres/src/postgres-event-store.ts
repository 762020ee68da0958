import {
  type AppendManyResult,
  type AppendResult,
  BackendError,
  type CheckpointStorage,
  checkEvents,
  type Event,
  type EventPage,
  type EventStore,
  type FeedEvent,
  type FeedOptions,
  type Json,
  type JsonShaped,
  listStreamsPaged,
  PageBudget,
  PagedEventReader,
  prepareAppend,
  type Seq,
  type Snapshot,
  type SnapshotStorage,
  StoreClosedError,
  type StreamInfo,
  type StreamListing,
  type StreamRange,
  type StreamsOptions,
  UnexpectedSeqError,
} from '@hume/core';
import type { Pool } from 'pg';
import type { MigrateResult } from './migrate-result.js';
import { appendMany, citusGroupLimits, groupLimits, type MAX_APPEND_MANY_EVENTS } from './postgres-append-many.js';
import type { CapabilityQuery } from './postgres-capability-query.js';
import { PostgresCheckpoints } from './postgres-checkpoints.js';
import { commitUnitsWith } from './postgres-commit-units.js';
import { PostgresFeed } from './postgres-feed.js';
import type { FeedLag } from './postgres-feed-lag.js';
import { GroupCommit, type UnitOutcome } from './postgres-group-commit.js';
import { type PostgresOptions, type ResolvedOptions, resolveOptions } from './postgres-options.js';
import { PostgresSnapshots } from './postgres-snapshots.js';
import { describeFailure, PostgresStatementRunner, type Row } from './postgres-statement-runner.js';
import { namedStatement, type Statements, statementsFor } from './postgres-statements.js';
import { readStreamsPage, streamsPageStatement } from './postgres-streams.js';
import { readPostgresPage } from './read-postgres-page.js';
import { runMigrations } from './run-migrations.js';

/**
 * A Hume event store on PostgreSQL. Each append is one statement and one
 * round trip, with no explicit transaction and no advisory lock: a
 * data-modifying CTE moves the stream's counter row and inserts the event
 * at the seq it returns, so seqs have no gaps, even when an append fails.
 * Reads fetch keyset pages on the primary key `(stream, seq)`, borrowing a
 * pooled connection for one page at a time.
 *
 * Give it a `pg.Pool` (yours: `close()` leaves it open) or a connection
 * string (then the store owns its pool and `close()` ends it). Call
 * `migrate()` once before the first append.
 *
 * @example
 * ```ts
 * const store = new PostgresEventStore(process.env.DATABASE_URL!);
 * await store.migrate();
 * await store.append('cart-1', { type: 'opened' }, 0);
 * for await (const event of store.events('cart-1')) console.log(event);
 * await store.close();
 * ```
 */
export class PostgresEventStore<P extends JsonShaped<P> = Json>
  implements EventStore<P>, StreamListing, SnapshotStorage, CheckpointStorage
{
  readonly #db: PostgresStatementRunner;
  readonly #options: ResolvedOptions;
  readonly #sql: Statements;
  readonly #group: GroupCommit;
  readonly #feed: PostgresFeed<P>;
  #closing: Promise<void> | undefined;
  readonly #snapshots: PostgresSnapshots;
  readonly #checkpoints: PostgresCheckpoints;

  constructor(pool: Pool | string, options: PostgresOptions = {}) {
    this.#options = resolveOptions(options);
    this.#sql = statementsFor(this.#options);
    const query: CapabilityQuery = (operation, statement, values, readOnly) => this.#db.query(operation, statement, values, readOnly);
    this.#snapshots = new PostgresSnapshots(this.#options, query);
    this.#checkpoints = new PostgresCheckpoints(this.#options, query);
    this.#db = new PostgresStatementRunner(pool, options, this.#options);
    const { citus } = this.#options;
    this.#group = new GroupCommit(
      commitUnitsWith(
        (operation, statement, values, continuesFrom) => this.#db.query(operation, statement, values, false, continuesFrom),
        this.#sql,
        citus,
      ),
      // kit scope: outside the contract — placement on Citus (option citus); the Citus suite (pnpm test:citus) runs the kit there
      citus ? citusGroupLimits(this.#db.pool.options?.max ?? 10) : groupLimits,
      // kit scope: end
    );
    // The feed's listening connection is configured as the pool's connections are.
    this.#feed = new PostgresFeed(
      this.#db.pool.options,
      this.#options,
      // Stryker disable next-line BooleanLiteral: performance only: the feed's statements sent unnamed are planned for their values each time; named, once
      (operation, text, values, prepared = true) => this.#feedQuery(operation, text, values, prepared),
      () => this.#db.closed,
    );
  }

  /**
   * Creates the schema and tables when missing and brings them to this
   * release's schema version, recorded in the `migrations` table. Safe to
   * run at every start and from several processes at once.
   *
   * @example
   * ```ts
   * const { from, to } = await store.migrate(); // { from: 0, to: 1 } the first time
   * ```
   */
  migrate(): Promise<MigrateResult> {
    return this.#db.track(this.#migrate());
  }

  async #migrate(): Promise<MigrateResult> {
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    this.#db.assertOpen('migrate');
    try {
      const result = await runMigrations(this.#db.pool, this.#options);
      this.#db.markUtf8();
      return result;
    } catch (error) {
      // kit scope: outside the contract — a migration that fails (the kit's targets run on migrated schemas)
      throw new BackendError(`migrate of schema "${this.#options.schema}" failed: ${describeFailure(error)}`, error);
      // kit scope: end
    }
  }

  /**
   * Appends `payload` at the stream's last seq + 1, when `expect` (if given)
   * equals the last seq. Appends that arrive while another of this store's
   * statements is in flight wait and go together in the next one, whatever
   * their streams (group commit, see {@link GroupCommit}); a lone append
   * goes at once. Either way its outcome is its own, and a conflict reports
   * the last seq the append was judged against, without a second query.
   *
   * @example
   * ```ts
   * const result = await store.append('cart-1', { type: 'item-added', sku: 'a1' }, 1);
   * if (!result.ok && result.error.code === 'UNEXPECTED_SEQ') console.log(result.error.actual);
   * ```
   */
  append(stream: string, payload: P, expect?: Seq | null): Promise<AppendResult> {
    return this.#db.track(this.#append(stream, payload, expect));
  }

  async #append(stream: string, payload: P, expect?: Seq | null): Promise<AppendResult> {
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    this.#db.assertOpen('append');
    // The JSON text is written in the pass that checks it, so what is stored is what was checked.
    const prepared = prepareAppend(stream, payload, expect, { maxPayloadBytes: this.#options.maxPayloadBytes });
    if (!prepared.ok) return prepared;
    const outcome = await this.#submit(stream, [prepared.json], expect ?? undefined);
    return outcome.ok
      ? { ok: true, seq: outcome.seq }
      : { ok: false, error: new UnexpectedSeqError(stream, expect as Seq, outcome.actual) };
  }

  /**
   * Appends `payloads` at contiguous seqs after the stream's last, all or
   * none, when `expect` (if given) equals the last seq: one unit in the
   * group commit, never interleaved with other appends. Resolves with the
   * last event's `seq` and the `first`'s. At most
   * {@link MAX_APPEND_MANY_EVENTS} events per call.
   *
   * @example
   * ```ts
   * const result = await store.appendMany('cart-1', [{ type: 'opened' }, { type: 'item-added', sku: 'a1' }], 0);
   * if (result.ok) console.log(result.first, result.seq); // 1 2
   * ```
   */
  appendMany(stream: string, payloads: readonly P[], expect?: Seq | null): Promise<AppendManyResult> {
    return this.#db.track(this.#appendMany(stream, payloads, expect));
  }

  async #appendMany(stream: string, payloads: readonly P[], expect?: Seq | null): Promise<AppendManyResult> {
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    this.#db.assertOpen('appendMany');
    const submit = (jsons: readonly string[], expected: Seq | undefined): Promise<UnitOutcome> => this.#submit(stream, jsons, expected);
    return appendMany(submit, stream, payloads, expect, this.#options.maxPayloadBytes);
  }

  /**
   * Yields the stream's events after `from`, ascending, one page of
   * `readPageSize` events per query, fewer when their payloads would pass
   * `readPageBytes` (see {@link PageBudget}). Once half of a page has been taken the
   * next one is asked for, so its round trip overlaps the work on this one.
   * The connection goes back to the pool after each page: breaking out of
   * the loop holds nothing once a page already on its way has arrived (it is
   * dropped). A page whose connection was lost is fetched once more on a
   * fresh one.
   *
   * @example
   * ```ts
   * for await (const { seq, payload } of store.events('cart-1', 10)) apply(seq, payload);
   * ```
   */
  events(stream: string, from: Seq = 0): AsyncIterableIterator<Event<P>, undefined> {
    // Never throws here (C7.5): a closed store or a bad argument rejects the first next().
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    const failure = this.#db.closed ? new StoreClosedError('events') : checkEvents(stream, from);
    const budget = new PageBudget(this.#options.readPageSize, this.#options.readPageBytes);
    const fetchPage = (after: Seq, limit: number): Promise<EventPage<P>> =>
      this.#db.track(readPostgresPage<P>(this.#db, this.#sql.readPage, stream, after, limit, budget));
    // Reading ahead overlaps a page's round trip with the caller's work on the page before it.
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: performance only: reading the next page ahead overlaps its round trip with the caller; the pages and their order are the same
    return new PagedEventReader(fetchPage, from, this.#options.readPageSize, failure, { readAhead: true });
  }

  /**
   * Lists the streams with their last seq, ascending by name in code-point
   * order (clause C12), `readPageSize` streams per query on the counter table.
   *
   * @example
   * ```ts
   * for await (const { stream, last } of store.streams({ prefix: 'cart-' })) console.log(stream, last);
   * ```
   */
  streams(options?: StreamsOptions): AsyncGenerator<StreamInfo, undefined, undefined> {
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    const failure = this.#db.closed ? new StoreClosedError('streams') : undefined;
    const statement = streamsPageStatement(this.#options);
    // Tracked like reads, so close() waits for a page on its way.
    const readPage = (range: StreamRange, limit: number): Promise<StreamInfo[]> =>
      this.#db.track(readStreamsPage(this.#db, statement, range, limit));
    return listStreamsPaged(readPage, options, this.#options.readPageSize, failure);
  }

  /**
   * Stores `snapshot` for (`stream`, `name`) in the `snapshots` table,
   * replacing the one there (clause C14, schema version 3).
   *
   * @example
   * ```ts
   * await store.saveSnapshot('account-1', 'balance', { version: 1, seq: 3, state: { balance: 5 } });
   * ```
   */
  saveSnapshot(stream: string, name: string, snapshot: Snapshot): Promise<void> {
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    return this.#db.track(this.#open('saveSnapshot').then(() => this.#snapshots.save(stream, name, snapshot)));
  }

  /**
   * The snapshot saved last for (`stream`, `name`), or `undefined` (clause C14).
   *
   * @example
   * ```ts
   * const snapshot = await store.loadSnapshot('account-1', 'balance');
   * ```
   */
  loadSnapshot(stream: string, name: string): Promise<Snapshot | undefined> {
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    return this.#db.track(this.#open('loadSnapshot').then(() => this.#snapshots.load(stream, name)));
  }

  /**
   * Stores `position` as the checkpoint `name` in the `checkpoints` table (clause C15, schema version 3).
   *
   * @example
   * ```ts
   * await store.saveCheckpoint('balances', position);
   * ```
   */
  saveCheckpoint(name: string, position: string): Promise<void> {
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    return this.#db.track(this.#open('saveCheckpoint').then(() => this.#checkpoints.save(name, position)));
  }

  /**
   * The position saved last as `name`, or `undefined` (clause C15).
   *
   * @example
   * ```ts
   * const after = await store.loadCheckpoint('balances');
   * ```
   */
  loadCheckpoint(name: string): Promise<string | undefined> {
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    return this.#db.track(this.#open('loadCheckpoint').then(() => this.#checkpoints.load(name)));
  }

  /** Resolves when the store is open, rejects with CLOSED when it is not: the start of a tracked call. */
  async #open(operation: string): Promise<void> {
    this.#db.assertOpen(operation);
  }

  /**
   * Every event of every stream after position `after` (clause C13), in
   * the order of the transactions that wrote them: only events below the
   * oldest running transaction are read, so none can commit later behind a
   * position already given. A transaction left open anywhere on the server
   * therefore holds every feed back until it ends; {@link feedLag} shows
   * by how much. With `{ live: true }` it then yields new events as they
   * commit (LISTEN/NOTIFY, one listening connection per store), until
   * `options.signal` aborts.
   *
   * @example
   * ```ts
   * for await (const { position, stream, payload } of store.feed(checkpoint, { prefix: 'cart-' })) {
   *   project(stream, payload);
   *   checkpoint = position;
   * }
   * ```
   */
  feed(after?: string, options?: FeedOptions): AsyncIterableIterator<FeedEvent<P>, undefined> {
    return this.#feed.read(after, options);
  }

  /**
   * How far running transactions hold the feed back: committed events no
   * feed yields yet, and the age and pid of the oldest running transaction.
   *
   * @example
   * ```ts
   * const { heldEvents, oldestTransactionMs, oldestTransactionPid } = await store.feedLag();
   * ```
   */
  // kit scope: outside the contract — feedLag(), an API of this adapter's own (how far a running transaction holds the feed back)
  feedLag(): Promise<FeedLag> {
    return this.#db.track(this.#feedLag());
  }

  async #feedLag(): Promise<FeedLag> {
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    this.#db.assertOpen('feedLag');
    return this.#feed.lag();
    // kit scope: end
  }

  /**
   * Refuses further calls with code `CLOSED`, ends waiting live feeds and
   * the feed's listening connection, lets every call in flight settle,
   * then, when the store created its pool from a connection string, ends
   * that pool. A call whose statement was already sent finishes (or fails
   * with `BACKEND`, bounded by `queryTimeoutMs`); one still waiting for a
   * connection or for its group commit sends nothing and rejects with
   * `CLOSED`; a read rejects its next page with `CLOSED`. Resolves once all
   * of them settled. A pool passed in stays open: it belongs to the caller.
   * Idempotent.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  close(): Promise<void> {
    // Stryker disable next-line ConditionalExpression: equivalent: a second close() closes the feed and the runner again, and both are idempotent (the runner ends a pool it owns once: `!pool.ended`)
    if (this.#closing === undefined) {
      this.#db.close();
      this.#closing = this.#settleAndEnd();
    }
    return this.#closing;
  }

  async #settleAndEnd(): Promise<void> {
    await this.#feed.close();
    await this.#db.end();
  }

  /** A read of the feed, tracked like reads so that close() waits for it. */
  async #feedQuery(operation: string, text: string, values: unknown[], prepared: boolean): Promise<Row[]> {
    // An unnamed statement is planned for its values each time (pg sends no name for '').
    // Stryker disable next-line StringLiteral: performance only: the one statement sent unnamed (the prefix page), if named, would be prepared and planned generically
    const statement = prepared ? namedStatement(text) : { name: '', text };
    // Stryker disable next-line BooleanLiteral: equivalent for the contract: whether a feed page is read again once after a lost connection (C8.4 and C13.11 allow the BACKEND rejection instead)
    return (await this.#db.track(this.#db.query(operation, statement, values, true))).rows;
  }

  /** Queues one unit for the group commit; a failure that is not already a store error becomes `BACKEND`. */
  async #submit(stream: string, payloads: readonly string[], expect: Seq | undefined): Promise<UnitOutcome> {
    try {
      const outcome = await this.#group.submit({ stream, payloads, expect });
      // Stryker disable next-line ConditionalExpression: latency only: appended() wakes this store's live feeds and notifies other stores' at once; without it they wake at their next poll (5 s), and after a conflict it costs them one empty look. The contract does not time feeds; the benchmarks do
      if (outcome.ok) this.#feed.appended();
      return outcome;
    } catch (error) {
      // Stryker disable next-line ConditionalExpression: equivalent for the kit: the only other errors come from reading a result that does not parse (the region below), which no kit target can make PostgreSQL send
      if (error instanceof BackendError || error instanceof StoreClosedError) throw error;
      // kit scope: outside the contract — a server answer that breaks its column's type (a result of the append statement that does not parse (parseSeq, parseResults)): no kit target can make PostgreSQL return one
      // Anything else failed reading the result of a statement that ran: it may have committed.
      throw new BackendError(`append to ${JSON.stringify(stream)} failed: ${describeFailure(error)}`, error, { outcomeUnknown: true });
      // kit scope: end
    }
  }
}
