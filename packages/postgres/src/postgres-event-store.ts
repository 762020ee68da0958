import {
  type AppendManyResult,
  type AppendResult,
  BackendError,
  type CheckpointStorage,
  checkEvents,
  cutPage,
  type Event,
  type EventPage,
  type EventStore,
  type FeedEvent,
  type FeedOptions,
  type Json,
  type JsonShaped,
  listStreamsPaged,
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
import pg, { type Pool } from 'pg';
import { encodingProblem, encodingQuery } from './check-encoding.js';
import type { MigrateResult } from './migrate-result.js';
import { parseSeq } from './parse-seq.js';
import { appendMany, citusGroupLimits, groupLimits, type MAX_APPEND_MANY_EVENTS } from './postgres-append-many.js';
import type { CapabilityQuery } from './postgres-capability-query.js';
import { PostgresCheckpoints } from './postgres-checkpoints.js';
import { commitUnitsWith } from './postgres-commit-units.js';
import { backoff, isConnectionLost, isRetryable, MAX_RETRIES, sqlState } from './postgres-failure.js';
import { PostgresFeed } from './postgres-feed.js';
import type { FeedLag } from './postgres-feed-lag.js';
import { GroupCommit, type UnitOutcome } from './postgres-group-commit.js';
import { ownPoolOptions, type PostgresOptions, type ResolvedOptions, resolveOptions } from './postgres-options.js';
import { PostgresSnapshots } from './postgres-snapshots.js';
import { namedStatement, type Statement, type Statements, statementsFor } from './postgres-statements.js';
import { parseStreamsPage, streamsPageStatement, streamsPageValues } from './postgres-streams.js';
import { rawTypes } from './raw-types.js';
import { runMigrations } from './run-migrations.js';
import { runStatement, StatementFailure } from './run-statement.js';

type Row = (string | null)[];

/** What a statement returned: its rows, and how many rows it wrote or read (the command tag's count, if it had one). */
interface Outcome {
  readonly rows: Row[];
  readonly rowCount: number | null;
}

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
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #options: ResolvedOptions;
  readonly #sql: Statements;
  readonly #group: GroupCommit;
  /** Every call in flight (appends, pages of reads, migrations): `close()` waits for them to settle. */
  readonly #calls = new Set<Promise<unknown>>();
  readonly #feed: PostgresFeed<P>;
  #closing: Promise<void> | undefined;
  /** Once the database is known to be UTF8 (`migrate()` or the first statement checked it). */
  #utf8 = false;
  #utf8Check: Promise<void> | undefined;
  readonly #snapshots: PostgresSnapshots;
  readonly #checkpoints: PostgresCheckpoints;

  constructor(pool: Pool | string, options: PostgresOptions = {}) {
    this.#options = resolveOptions(options);
    this.#sql = statementsFor(this.#options);
    const query: CapabilityQuery = (operation, statement, values, readOnly) => this.#query(operation, statement, values, readOnly);
    this.#snapshots = new PostgresSnapshots(this.#options, query);
    this.#checkpoints = new PostgresCheckpoints(this.#options, query);
    if (typeof pool === 'string') {
      const { connectionTimeoutMs, statementTimeoutMs, keepAliveDelayMs } = this.#options;
      this.#pool = new pg.Pool({
        connectionString: pool,
        connectionTimeoutMillis: connectionTimeoutMs,
        statement_timeout: statementTimeoutMs,
        keepAlive: keepAliveDelayMs > 0,
        keepAliveInitialDelayMillis: keepAliveDelayMs,
      });
      // An idle connection the server closes is dropped by the pool; without a listener the
      // 'error' it emits would end the process. The next call simply opens a fresh one.
      this.#pool.on('error', () => undefined);
      this.#ownsPool = true;
    } else if (typeof pool === 'object' && pool !== null && typeof pool.query === 'function' && typeof pool.connect === 'function') {
      const ownPoolOnly = ownPoolOptions.find((name) => options[name] !== undefined);
      if (ownPoolOnly !== undefined) {
        throw new RangeError(
          `${ownPoolOnly} configures the pool the store creates from a connection string; set ${poolSetting[ownPoolOnly]} on your own pg.Pool instead`,
        );
      }
      this.#pool = pool;
      this.#ownsPool = false;
    } else {
      throw new TypeError(`pool must be a pg.Pool or a connection string (got ${pool === null ? 'null' : typeof pool})`);
    }
    const { citus } = this.#options;
    this.#group = new GroupCommit(
      commitUnitsWith((operation, statement, values) => this.#query(operation, statement, values), this.#sql, citus),
      citus ? citusGroupLimits(this.#pool.options?.max ?? 10) : groupLimits,
    );
    // The feed's listening connection is configured as the pool's connections are.
    this.#feed = new PostgresFeed(
      this.#pool.options,
      this.#options,
      (operation, text, values, prepared = true) => this.#feedQuery(operation, text, values, prepared),
      () => this.#closing !== undefined,
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
    return this.#track(this.#migrate());
  }

  async #migrate(): Promise<MigrateResult> {
    this.#assertOpen('migrate');
    try {
      const result = await runMigrations(this.#pool, this.#options);
      this.#utf8 = true;
      return result;
    } catch (error) {
      throw new BackendError(`migrate of schema "${this.#options.schema}" failed: ${describe(error)}`, error);
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
    return this.#track(this.#append(stream, payload, expect));
  }

  async #append(stream: string, payload: P, expect?: Seq | null): Promise<AppendResult> {
    this.#assertOpen('append');
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
    return this.#track(this.#appendMany(stream, payloads, expect));
  }

  async #appendMany(stream: string, payloads: readonly P[], expect?: Seq | null): Promise<AppendManyResult> {
    this.#assertOpen('appendMany');
    const submit = (jsons: readonly string[], expected: Seq | undefined): Promise<UnitOutcome> => this.#submit(stream, jsons, expected);
    return appendMany(submit, stream, payloads, expect, this.#options.maxPayloadBytes);
  }

  /**
   * Yields the stream's events after `from`, ascending, one page of
   * `readPageSize` events per query. Once half of a page has been taken the
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
    const failure = this.#closing ? new StoreClosedError('events') : checkEvents(stream, from);
    const fetchPage = (after: Seq, limit: number): Promise<EventPage<P>> => this.#track(this.#readPage(stream, after, limit));
    // Reading ahead overlaps a page's round trip with the caller's work on the page before it.
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
    const failure = this.#closing ? new StoreClosedError('streams') : undefined;
    const statement = streamsPageStatement(this.#options);
    const readStreams = async (range: StreamRange, limit: number): Promise<StreamInfo[]> => {
      this.#assertOpen('streams');
      const { rows } = await this.#query('listing streams', statement, streamsPageValues(range, limit), true);
      try {
        return parseStreamsPage(rows);
      } catch (error) {
        throw new BackendError(`listing streams failed: ${describe(error)}`, error);
      }
    };
    // Tracked like reads, so close() waits for a page on its way.
    const readPage = (range: StreamRange, limit: number): Promise<StreamInfo[]> => this.#track(readStreams(range, limit));
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
    return this.#track(this.#open('saveSnapshot').then(() => this.#snapshots.save(stream, name, snapshot)));
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
    return this.#track(this.#open('loadSnapshot').then(() => this.#snapshots.load(stream, name)));
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
    return this.#track(this.#open('saveCheckpoint').then(() => this.#checkpoints.save(name, position)));
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
    return this.#track(this.#open('loadCheckpoint').then(() => this.#checkpoints.load(name)));
  }

  /** Resolves when the store is open, rejects with CLOSED when it is not: the start of a tracked call. */
  async #open(operation: string): Promise<void> {
    this.#assertOpen(operation);
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
  feedLag(): Promise<FeedLag> {
    return this.#track(this.#feedLag());
  }

  async #feedLag(): Promise<FeedLag> {
    this.#assertOpen('feedLag');
    return this.#feed.lag();
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
    this.#closing ??= this.#settleAndEnd();
    return this.#closing;
  }

  async #settleAndEnd(): Promise<void> {
    await this.#feed.close();
    // pg-pool's end() forgets the calls still waiting for a connection, which would then never settle:
    // the pool ends only once every call of the store has settled.
    while (this.#calls.size > 0) await Promise.allSettled([...this.#calls]);
    if (this.#ownsPool && !this.#pool.ended) await this.#pool.end();
  }

  /** A read of the feed, tracked like reads so that close() waits for it. */
  async #feedQuery(operation: string, text: string, values: unknown[], prepared: boolean): Promise<Row[]> {
    // An unnamed statement is planned for its values each time (pg sends no name for '').
    const statement = prepared ? namedStatement(text) : { name: '', text };
    return (await this.#track(this.#query(operation, statement, values, true))).rows;
  }

  #track<T>(call: Promise<T>): Promise<T> {
    this.#calls.add(call);
    const settled = (): void => {
      this.#calls.delete(call);
    };
    call.then(settled, settled);
    return call;
  }

  #assertOpen(operation: string): void {
    if (this.#closing) throw new StoreClosedError(operation);
  }

  /** Queues one unit for the group commit; a failure that is not already a store error becomes `BACKEND`. */
  async #submit(stream: string, payloads: readonly string[], expect: Seq | undefined): Promise<UnitOutcome> {
    try {
      const outcome = await this.#group.submit({ stream, payloads, expect });
      if (outcome.ok) this.#feed.appended();
      return outcome;
    } catch (error) {
      if (error instanceof BackendError || error instanceof StoreClosedError) throw error;
      // Anything else failed reading the result of a statement that ran: it may have committed.
      throw new BackendError(`append to ${JSON.stringify(stream)} failed: ${describe(error)}`, error, { outcomeUnknown: true });
    }
  }

  async #readPage(stream: string, after: Seq, limit: number): Promise<EventPage<P>> {
    this.#assertOpen('events');
    const operation = `read of ${JSON.stringify(stream)} after seq ${after}`;
    const { rows } = await this.#query(operation, this.#sql.readPage, [stream, after, limit, this.#options.readPageBytes], true);
    // A page asked for ahead may arrive after close(): the read ends with CLOSED as if it had asked then.
    this.#assertOpen('events');
    try {
      const events = rows.map(([seq, payload]) => ({ seq: parseSeq(seq), payload: JSON.parse(payload ?? 'null') as P }));
      // The last row's `more` is 't' when the byte budget cut the page short of events that exist.
      return rows.at(-1)?.[2] === 't' ? cutPage(events) : events;
    } catch (error) {
      throw new BackendError(`${operation} failed: ${describe(error)}`, error);
    }
  }

  /**
   * Runs one prepared statement, retrying serialization failures and
   * deadlocks (nothing was changed) and, for reads only, one lost
   * connection. A call that finds the store closed before its statement was
   * sent rejects with CLOSED; every other failure rejects with code BACKEND,
   * a write's with `outcomeUnknown` set when its statement may have
   * committed.
   */
  async #query(operation: string, statement: Statement, values: unknown[], readOnly = false): Promise<Outcome> {
    if (!this.#utf8) await this.#checkUtf8();
    let reconnected = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows, rowCount } = await runStatement<Row>(
          this.#pool,
          { name: statement.name, text: statement.text, values, rowMode: 'array', types: rawTypes },
          this.#options.queryTimeoutMs,
          () => this.#assertOpen(operation),
        );
        return { rows, rowCount };
      } catch (failure) {
        if (!(failure instanceof StatementFailure)) throw failure;
        const error = failure.cause;
        if (isRetryable(error) && attempt <= MAX_RETRIES) {
          await backoff(attempt);
          continue;
        }
        if (readOnly && !reconnected && isConnectionLost(error)) {
          reconnected = true;
          continue;
        }
        throw new BackendError(`${operation} failed: ${describe(error)}`, error, { outcomeUnknown: !readOnly && failure.mayHaveCommitted });
      }
    }
  }

  /**
   * Refuses a database that is not UTF8 before the first statement of a
   * store that did not run `migrate()`: one query per store, shared by the
   * calls that arrive meanwhile, tried again after a failure.
   */
  async #checkUtf8(): Promise<void> {
    this.#utf8Check ??= (async () => {
      let row: Row | undefined;
      try {
        const query = { text: encodingQuery, rowMode: 'array' as const, types: rawTypes };
        row = (await runStatement<Row>(this.#pool, query, this.#options.queryTimeoutMs, () => undefined)).rows[0];
      } catch (failure) {
        const error = failure instanceof StatementFailure ? failure.cause : failure;
        throw new BackendError(`checking the encoding of the database failed: ${describe(error)}`, error);
      }
      const problem = encodingProblem(row?.[0], row?.[1]);
      if (problem !== undefined) throw new BackendError(problem, new Error(problem));
      this.#utf8 = true;
    })();
    try {
      await this.#utf8Check;
    } catch (error) {
      this.#utf8Check = undefined;
      throw error;
    }
  }
}

/** What to set on a pool of one's own instead of an option that only configures the store's pool. */
const poolSetting: Record<(typeof ownPoolOptions)[number], string> = {
  connectionTimeoutMs: 'connectionTimeoutMillis',
  statementTimeoutMs: 'statement_timeout',
  keepAliveDelayMs: 'keepAlive and keepAliveInitialDelayMillis',
};

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // A missing table, append function or schema: the schema was never migrated here.
  if (['42P01', '42883', '3F000'].includes(sqlState(error) ?? '')) return `${message} (run migrate() first)`;
  return message;
}
