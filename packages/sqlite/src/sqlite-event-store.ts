import {
  type AppendResult,
  BackendError,
  checkAppend,
  checkEvents,
  type Event,
  type EventStore,
  type Json,
  type JsonShaped,
  pagedEvents,
  type Seq,
  StoreClosedError,
  UnexpectedSeqError,
} from '@hume/core';
import { describeCause, openSqliteDatabase } from './open-sqlite-database.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { type ResolvedSqliteOptions, resolveSqliteOptions, type SqliteOptions } from './sqlite-options.js';
import { ensureSqliteSchema, sqliteTables } from './sqlite-schema.js';
import { prepareSqliteStatements, type SqliteStatements } from './sqlite-statements.js';

/**
 * An event store in a SQLite file, on better-sqlite3. Safe to share one
 * file between stores, threads and processes: every append takes SQLite's
 * write lock before it reads the last seq. Reads fetch keyset pages
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
export class SqliteEventStore<P extends JsonShaped<P> = Json> implements EventStore<P> {
  readonly #db: SqliteDatabase;
  readonly #owned: boolean;
  readonly #options: ResolvedSqliteOptions;
  readonly #sql: SqliteStatements;
  #closed = false;

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
    } catch (error) {
      if (owned) db.close();
      if (error instanceof Error && 'code' in error && error.code === 'BACKEND') throw error;
      throw new BackendError(`creating the tables of the SQLite event store failed: ${describeCause(error)}`, error);
    }
  }

  /** The options in force, defaults filled in. */
  get options(): ResolvedSqliteOptions {
    return this.#options;
  }

  /**
   * Appends `payload` at the stream's last seq + 1, when `expect` (if given)
   * equals the last seq. Resolves when the event is committed, with the
   * durability chosen in the options.
   *
   * @example
   * ```ts
   * const result = await store.append('cart-1', { type: 'item-added', sku: 'a1' }, 1);
   * if (!result.ok) console.log(result.error.code);
   * ```
   */
  async append(stream: string, payload: P, expect?: Seq | null): Promise<AppendResult> {
    if (this.#closed) throw new StoreClosedError('append');
    const invalid = checkAppend(stream, payload, expect);
    if (invalid) return { ok: false, error: invalid };
    // Stored as JSON text: -0 becomes 0 as the contract says, and nothing is shared with the caller.
    const json = JSON.stringify(payload);
    try {
      if (expect == null) {
        const row = this.#sql.appendNext.get(stream, json, stream) as { seq: number };
        return { ok: true, seq: row.seq };
      }
      return this.#appendExpecting(stream, json, expect);
    } catch (error) {
      throw new BackendError(`append to stream ${JSON.stringify(stream)} failed: ${describeCause(error)}`, error);
    }
  }

  /** The check and the insert under one `BEGIN IMMEDIATE`, so `actual` is the last seq the check saw. */
  #appendExpecting(stream: string, json: string, expect: Seq): AppendResult {
    const sql = this.#sql;
    sql.begin.run();
    try {
      const { last } = sql.lastSeq.get(stream) as { last: number };
      if (last !== expect) {
        sql.rollback.run();
        return { ok: false, error: new UnexpectedSeqError(stream, expect, last) };
      }
      sql.insert.run(stream, last + 1, json);
      sql.commit.run();
      return { ok: true, seq: last + 1 };
    } catch (error) {
      // A failed COMMIT can leave the transaction open; roll back so the connection stays usable.
      if (this.#db.open && this.#db.inTransaction) sql.rollback.run();
      throw error;
    }
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
  async *events(stream: string, from: Seq = 0): AsyncGenerator<Event<P>, void, undefined> {
    if (this.#closed) throw new StoreClosedError('events');
    const invalid = checkEvents(stream, from);
    if (invalid) throw invalid;
    yield* pagedEvents((after, limit) => this.#readPage(stream, after, limit), from, this.#options.pageSize);
  }

  #readPage(stream: string, after: Seq, limit: number): Event<P>[] {
    if (this.#closed) throw new StoreClosedError('events');
    let rows: [number, string][];
    try {
      rows = this.#sql.page.all(stream, after, limit) as [number, string][];
    } catch (error) {
      throw new BackendError(`reading stream ${JSON.stringify(stream)} after seq ${after} failed: ${describeCause(error)}`, error);
    }
    const events = new Array<Event<P>>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [seq, payload] = rows[i]!;
      events[i] = { seq, payload: JSON.parse(payload) as P };
    }
    return events;
  }

  /**
   * Closes the database if the store opened it, and refuses further calls
   * with code `CLOSED`. A `Database` handed to the constructor stays open:
   * it is the caller's. Idempotent.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#owned || !this.#db.open) return;
    try {
      this.#db.close();
    } catch (error) {
      throw new BackendError(`closing the SQLite database failed: ${describeCause(error)}`, error);
    }
  }
}
