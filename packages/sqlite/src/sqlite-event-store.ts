import {
  type AppendManyResult,
  type AppendResult,
  BackendError,
  CallsInFlight,
  type CheckpointStorage,
  checkEvents,
  DEFAULT_MAX_BATCH_EVENTS,
  type Event,
  type EventPage,
  type EventStore,
  type FeedEvent,
  type FeedOptions,
  type Json,
  type JsonShaped,
  PagedEventReader,
  prepareAppend,
  type Seq,
  type Snapshot,
  type SnapshotStorage,
  StoreClosedError,
  type StreamInfo,
  type StreamListing,
  type StreamsOptions,
} from '@hume/core';
import { databaseFile } from './database-file.js';
import { LastSeqCache } from './last-seq-cache.js';
import { describeCause, openSqliteDatabase } from './open-sqlite-database.js';
import type { AppendOutcome, PendingAppend } from './pending-append.js';
import { readSqlitePage } from './read-sqlite-page.js';
import { sqliteAppendMany } from './sqlite-append-many.js';
import { SqliteAppendWriter } from './sqlite-append-writer.js';
import { SqliteCheckpoints } from './sqlite-checkpoints.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { SqliteFeed } from './sqlite-feed.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { type ResolvedSqliteOptions, resolveSqliteOptions, type SqliteOptions } from './sqlite-options.js';
import { ensureSqliteSchema, sqliteTables } from './sqlite-schema.js';
import { SqliteSnapshots } from './sqlite-snapshots.js';
import { prepareSqliteStatements, type SqliteStatements } from './sqlite-statements.js';
import { SqliteStreams } from './sqlite-streams.js';

/**
 * An event store in a SQLite file, on better-sqlite3. Safe to share one
 * file between stores, threads and processes: an append either inserts at
 * a guessed seq in a statement that checks the guess is still last + 1, or
 * takes SQLite's write lock before it reads the last seq. A lone append is
 * written at once; appends called while another is being written share the
 * next transaction (group commit). Reads fetch keyset pages
 * (`seq > ? ORDER BY seq LIMIT ?`), one query per page and no statement
 * held open between them, so a long read never blocks writers.
 *
 * Give it a path (the store opens the file, and closes it on `close()`) or
 * an open better-sqlite3 `Database` (yours to close; the store sets its
 * WAL, busy timeout and `synchronous` pragmas).
 *
 * @example
 * ```ts
 * const store = new SqliteEventStore('events.db');
 * await store.append('cart-1', { type: 'opened' }, 0);
 * for await (const event of store.events('cart-1')) console.log(event);
 * await store.close();
 * ```
 */
export class SqliteEventStore<P extends JsonShaped<P> = Json> implements EventStore<P>, StreamListing, SnapshotStorage, CheckpointStorage {
  readonly #db: SqliteDatabase;
  readonly #owned: boolean;
  readonly #options: ResolvedSqliteOptions;
  readonly #sql: SqliteStatements;
  readonly #lastSeqs = new LastSeqCache(4_096);
  readonly #writer: SqliteAppendWriter;
  readonly #group: SqliteGroupCommit;
  readonly #feed: SqliteFeed<P>;
  readonly #streams: SqliteStreams;
  readonly #snapshots: SqliteSnapshots;
  readonly #checkpoints: SqliteCheckpoints;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Appends not yet settled: close() resolves after them. */
  readonly #calls = new CallsInFlight();

  /**
   * Opens or adopts the database and creates the tables if they are
   * missing. Throws a `TypeError` or `RangeError` naming the bad argument,
   * or a `BackendError` when SQLite fails (an unreadable file, a lock held
   * past the busy timeout).
   *
   * @example
   * ```ts
   * const store = new SqliteEventStore('events.db', { durability: 'normal', tablePrefix: 'shop_' });
   * ```
   */
  constructor(database: string | SqliteDatabase, options: SqliteOptions = {}) {
    this.#options = resolveSqliteOptions(options);
    const { db, owned } = openSqliteDatabase(database, this.#options);
    this.#db = db;
    this.#owned = owned;
    try {
      const tables = sqliteTables(this.#options.tablePrefix);
      ensureSqliteSchema(db, tables);
      this.#sql = prepareSqliteStatements(db, tables);
      this.#feed = new SqliteFeed(db, tables, this.#options.pageSize, this.#options.pageBytes, () => this.#closed, databaseFile(db));
    } catch (error) {
      // kit scope: outside the contract — a constructor that fails (a file SQLite cannot create tables in): the kit's targets make stores that open
      if (owned) db.close();
      if (error instanceof Error && 'code' in error && error.code === 'BACKEND') throw error;
      throw new BackendError(`creating the tables of the SQLite event store failed: ${describeCause(error)}`, error);
      // kit scope: end
    }
    this.#writer = new SqliteAppendWriter(db, this.#sql, this.#lastSeqs);
    this.#group = new SqliteGroupCommit(db, this.#writer, this.#options.busyTimeout);
    const tables = sqliteTables(this.#options.tablePrefix);
    this.#streams = new SqliteStreams(db, tables, this.#options.pageSize, () => this.#closed);
    this.#snapshots = new SqliteSnapshots(db, tables, this.#options.maxPayloadBytes);
    this.#checkpoints = new SqliteCheckpoints(db, tables);
  }

  /**
   * The options in force, defaults filled in.
   *
   * @example
   * ```ts
   * new SqliteEventStore(':memory:').options.durability; // 'full'
   * ```
   */
  // kit scope: outside the contract — an accessor of this adapter's own
  get options(): ResolvedSqliteOptions {
    return this.#options;
  }
  // kit scope: end

  /**
   * Appends `payload` at the stream's last seq + 1, when `expect` (if given)
   * equals the last seq. Resolves when the event is committed, with the
   * durability chosen in the options. A lone append is written before this
   * returns its promise; appends called while another is being written share
   * the next transaction (group commit), each with its own outcome. Called while a transaction of yours is open on a shared
   * `Database`, the append joins it (see the README's "Transactions").
   *
   * @example
   * ```ts
   * const result = await store.append('cart-1', { type: 'item-added', sku: 'a1' }, 1);
   * if (!result.ok) console.log(result.error.code);
   * ```
   */
  append(stream: string, payload: P, expect?: Seq | null): Promise<AppendResult> {
    // Not an async function: a lone append is written before this returns, and its promise is made
    // resolved, without an await in between (about 1 µs of a 25 µs append at synchronous=NORMAL).
    if (this.#closed) return Promise.reject(new StoreClosedError('append'));
    // Stored as JSON text, written in the pass that checked it: -0 becomes 0, nothing is shared with the caller.
    const prepared = prepareAppend(stream, payload, expect, { maxPayloadBytes: this.#options.maxPayloadBytes });
    if (!prepared.ok) return Promise.resolve(prepared);
    let written: Promise<AppendOutcome> | AppendOutcome;
    try {
      written = this.#write({ stream, payloads: [prepared.json], expect });
    } catch (error) {
      return Promise.reject(error);
    }
    // Written already: nothing is left in flight for close() to wait for.
    if (!(written instanceof Promise)) return Promise.resolve(this.#appended(written));
    return this.#calls.track(written.then(this.#appended));
  }

  /** The result of an append from its outcome; wakes live feeds when it was stored. */
  readonly #appended = (outcome: AppendOutcome): AppendResult => {
    // Stryker disable next-line ConditionalExpression: `true` is equivalent (waking live feeds after a conflict costs them one empty look); its caught `false` twin goes with it
    if (outcome.ok) this.#feed.appended();
    return outcome.ok ? { ok: true, seq: outcome.seq } : outcome;
  };

  /**
   * Appends `payloads` at contiguous seqs after the stream's last, all or
   * none, in one transaction; `expect` as for `append`. Resolves the last
   * seq and the first. At most 10,000 events and `maxPayloadBytes` of JSON
   * in total; an empty or bad batch is refused whole with
   * `INVALID_ARGUMENT`. Shares group commit and caller transactions with
   * `append`.
   *
   * @example
   * ```ts
   * const result = await store.appendMany('cart-1', [{ type: 'opened' }, { type: 'item-added', sku: 'a1' }], 0);
   * if (result.ok) console.log(result.first, result.seq); // 1 2
   * ```
   */
  appendMany(stream: string, payloads: readonly P[], expect?: Seq | null): Promise<AppendManyResult> {
    return this.#calls.track(this.#appendMany(stream, payloads, expect));
  }

  async #appendMany(stream: string, payloads: readonly P[], expect?: Seq | null): Promise<AppendManyResult> {
    if (this.#closed) throw new StoreClosedError('appendMany');
    const { maxPayloadBytes } = this.#options;
    const limits = { maxPayloadBytes, maxBatchEvents: DEFAULT_MAX_BATCH_EVENTS, maxBatchBytes: maxPayloadBytes };
    return sqliteAppendMany((append) => this.#write(append), stream, payloads, expect, limits);
  }

  /**
   * Writes at once inside a transaction of the caller's, else through the
   * group commit: the outcome when the append was written at once, a
   * promise of it when it waits for a group. A failed write throws (or
   * rejects) with `BACKEND`.
   */
  #write(append: PendingAppend): Promise<AppendOutcome> | AppendOutcome {
    // kit scope: outside the contract — whether an append joins a transaction the application opened on a shared Database (both ways keep the contract; the kit never opens one)
    if (!this.#db.inTransaction) return this.#group.enqueue(append);
    try {
      return this.#writer.writeInCallerTransaction(append);
    } catch (error) {
      throw new BackendError(`append to stream ${JSON.stringify(append.stream)} failed: ${describeCause(error)}`, error);
    }
    // kit scope: end
  }

  /**
   * Yields the stream's events after `from`, ascending, a page at a time.
   * Each event is a fresh object: changing it changes nothing stored.
   *
   * @example
   * ```ts
   * for await (const { seq, payload } of store.events('cart-1', 10)) apply(seq, payload);
   * ```
   */
  events(stream: string, from: Seq = 0): AsyncIterableIterator<Event<P>> {
    // Never throws here (C7.5): a closed store or a bad argument rejects the first next().
    const failure = this.#closed ? new StoreClosedError('events') : checkEvents(stream, from);
    const readPage = (after: Seq, limit: number): EventPage<P> => {
      // Stryker disable next-line ConditionalExpression,StringLiteral: `false` is equivalent for the contract (a read under way at close() may complete, C8.6); its caught `true` twin goes with it, and no kit reaches the message
      if (this.#closed) throw new StoreClosedError('events');
      return this.#readPage(stream, after, limit);
    };
    return new PagedEventReader(readPage, from, this.#options.pageSize, failure);
  }

  #readPage(stream: string, after: Seq, limit: number): EventPage<P> {
    try {
      return readSqlitePage<P>(this.#sql, stream, after, limit, this.#options.pageBytes);
    } catch (error) {
      throw new BackendError(`reading stream ${JSON.stringify(stream)} after seq ${after} failed: ${describeCause(error)}`, error);
    }
  }

  /**
   * Every event of every stream after position `after`, in commit order
   * (clause C13); with `{ live: true }` it then yields new events as they
   * commit, from this store at once and from other connections and
   * processes within about 25 ms, until `options.signal` aborts.
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
   * Lists the streams with their last seq, ascending by name (clause C12),
   * a page of `pageSize` streams per call to SQLite.
   *
   * @example
   * ```ts
   * for await (const { stream, last } of store.streams({ prefix: 'cart-' })) console.log(stream, last);
   * ```
   */
  streams(options?: StreamsOptions): AsyncGenerator<StreamInfo, undefined, undefined> {
    return this.#streams.list(options);
  }

  /**
   * Stores `snapshot` for (`stream`, `name`) in the `<prefix>snapshots`
   * table, replacing the one there (clause C14). Joins a transaction of
   * yours when one is open on a shared `Database`.
   *
   * @example
   * ```ts
   * await store.saveSnapshot('account-1', 'balance', { version: 1, seq: 3, state: { balance: 5 } });
   * ```
   */
  async saveSnapshot(stream: string, name: string, snapshot: Snapshot): Promise<void> {
    if (this.#closed) throw new StoreClosedError('saveSnapshot');
    this.#snapshots.save(stream, name, snapshot);
  }

  /**
   * The snapshot saved last for (`stream`, `name`), or `undefined` (clause C14).
   *
   * @example
   * ```ts
   * const snapshot = await store.loadSnapshot('account-1', 'balance');
   * ```
   */
  async loadSnapshot(stream: string, name: string): Promise<Snapshot | undefined> {
    if (this.#closed) throw new StoreClosedError('loadSnapshot');
    return this.#snapshots.load(stream, name);
  }

  /**
   * Stores `position` as the checkpoint `name` in the `<prefix>checkpoints`
   * table (clause C15). Inside a transaction of yours on a shared
   * `Database`, it commits with your own writes: that is how a consumer's
   * read model and checkpoint commit together.
   *
   * @example
   * ```ts
   * await store.saveCheckpoint('balances', position);
   * ```
   */
  async saveCheckpoint(name: string, position: string): Promise<void> {
    if (this.#closed) throw new StoreClosedError('saveCheckpoint');
    this.#checkpoints.save(name, position);
  }

  /**
   * The position saved last as `name`, or `undefined` (clause C15).
   *
   * @example
   * ```ts
   * const after = await store.loadCheckpoint('balances');
   * ```
   */
  async loadCheckpoint(name: string): Promise<string | undefined> {
    if (this.#closed) throw new StoreClosedError('loadCheckpoint');
    return this.#checkpoints.load(name);
  }

  /**
   * Closes the database if the store opened it, and refuses further calls
   * with code `CLOSED`. Appends already called are written first, and the
   * promise resolves once each of them has settled. A `Database` handed to
   * the constructor stays open: it is the caller's. Idempotent: every call
   * resolves when the first one does.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#group.drain();
    this.#lastSeqs.clear();
    this.#feed.close();
    // The drained appends were written above; their callers hear of it before close() resolves (C8.6).
    await this.#calls.settled();
    // kit scope: outside the contract — which handle close() closes: one the store opened, never the application's (an API of this adapter's own)
    if (!this.#owned || !this.#db.open) return;
    // kit scope: end
    try {
      this.#db.close();
    } catch (error) {
      // kit scope: outside the contract — a database that fails to close: no target hook makes SQLite refuse close()
      throw new BackendError(`closing the SQLite database failed: ${describeCause(error)}`, error);
      // kit scope: end
    }
  }
}
