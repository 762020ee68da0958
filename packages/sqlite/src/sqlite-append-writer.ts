import { type Seq, UnexpectedSeqError } from '@hume/core';
import type { LastSeqCache } from './last-seq-cache.js';
import type { AppendOutcome, PendingAppend } from './pending-append.js';
import type { SqliteDatabase } from './sqlite-database.js';
import type { SqliteStatements } from './sqlite-statements.js';

/**
 * Writes pending appends to the database, synchronously, in one of three
 * ways: one append alone, a group in one transaction (group commit), or one
 * append inside a transaction the caller opened on a shared `Database`.
 * Driver errors are thrown after rolling back what was written; outcomes
 * (stored, or refused by `expect`) are returned.
 *
 * @example
 * ```ts
 * const writer = new SqliteAppendWriter(db, statements, new LastSeqCache(4096));
 * writer.writeAlone({ stream: 'cart-1', payloads: ['{"type":"opened"}'], expect: 0 });
 * ```
 */
export class SqliteAppendWriter {
  readonly #db: SqliteDatabase;
  readonly #sql: SqliteStatements;
  readonly #lastSeqs: LastSeqCache;

  constructor(db: SqliteDatabase, sql: SqliteStatements, lastSeqs: LastSeqCache) {
    this.#db = db;
    this.#sql = sql;
    this.#lastSeqs = lastSeqs;
  }

  /**
   * One append in its own transaction. The fast path is one statement like a
   * hand-written INSERT: when this store has a guess of the stream's last seq
   * (from its own last write to it), `insertIfLast` inserts at the next seq
   * if and only if the guess is still the last stored seq. A guess made
   * stale by another writer, a rolled-back transaction or rows deleted
   * behind the store's back changes nothing and falls back to the locked
   * path, so a guess never decides a seq.
   */
  writeAlone(append: PendingAppend): AppendOutcome {
    const { stream, payloads, expect } = append;
    const known = this.#lastSeqs.get(stream);
    // Equivalent mutants (pnpm mutation): skipping the fast path, or taking it with a wrong or missing
    // guess, changes no outcome, only speed: the statement inserts only when the guess is the last seq.
    // Stryker disable next-line all: a fast path whose guess the statement checks
    if (payloads.length === 1 && known !== undefined && (expect == null || expect === known)) {
      // Stryker disable next-line all: a fast path whose guess the statement checks
      if (this.#sql.insertIfLast.run(stream, known, payloads[0], stream, known).changes === 1) {
        // Stryker disable next-line all: a wrong guess kept here only sends the next append to the locked path
        this.#lastSeqs.set(stream, known + 1);
        return { ok: true, seq: known + 1, first: known + 1 };
      }
    }
    return this.writeGroup([append])[0]!;
  }

  /**
   * Appends in one transaction, in arrival order, each with its own outcome:
   * a conflict refuses its own append only. BEGIN IMMEDIATE takes SQLite's
   * write lock, which covers the whole file, before any last seq is read, so
   * writers in other connections and processes queue on the busy timeout
   * instead of racing, and there is no lock order between streams to keep.
   * A driver error rolls the whole transaction back and is thrown: nothing
   * of the group is stored.
   */
  writeGroup(appends: readonly PendingAppend[]): AppendOutcome[] {
    const sql = this.#sql;
    const lasts = new Map<string, Seq>();
    sql.begin.run();
    let outcomes: AppendOutcome[];
    try {
      outcomes = appends.map((append) => this.#writeLocked(append, lasts));
      sql.commit.run();
    } catch (error) {
      // A failed statement or COMMIT can leave the transaction open: roll back so the connection stays usable.
      // Stryker disable next-line ConditionalExpression,LogicalOperator: `true` is equivalent for the kit, a statement refused inside the transaction (a trigger, a constraint) leaves it open; only errors no hook can cause (disk full, I/O) end it by themselves. Its caught `false` twin goes with it
      if (this.#db.open && this.#db.inTransaction) sql.rollback.run();
      throw error;
    }
    for (const [stream, last] of lasts) this.#lastSeqs.set(stream, last);
    return outcomes;
  }

  // kit scope: outside the contract — a transaction the application opened on a shared Database, a feature of this adapter's own
  /**
   * One append inside the caller's own transaction, under a savepoint: it
   * commits, or rolls back, with the caller's transaction. The last seq is
   * read from the table (never guessed), and nothing learnt here is kept,
   * since the caller may still roll back.
   */
  writeInCallerTransaction(append: PendingAppend): AppendOutcome {
    const sql = this.#sql;
    sql.savepoint.run();
    try {
      const outcome = this.#writeLocked(append, new Map());
      sql.release.run();
      return outcome;
    } catch (error) {
      if (this.#db.open && this.#db.inTransaction) {
        sql.rollbackToSavepoint.run();
        sql.release.run();
      }
      throw error;
    }
  }
  // kit scope: end

  /** Checks `expect` against the last seq (the table's, or one written earlier in this transaction) and inserts. */
  #writeLocked(append: PendingAppend, lasts: Map<string, Seq>): AppendOutcome {
    const { stream, payloads, expect } = append;
    const last = lasts.get(stream) ?? (this.#sql.lastSeq.get(stream) as number | null) ?? 0;
    lasts.set(stream, last);
    if (expect != null && expect !== last) return { ok: false, error: new UnexpectedSeqError(stream, expect, last) };
    const insert = this.#sql.insert;
    for (let i = 0; i < payloads.length; i++) insert.run(stream, last + 1 + i, payloads[i]);
    lasts.set(stream, last + payloads.length);
    return { ok: true, seq: last + payloads.length, first: last + 1 };
  }
}
