import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTables } from './sqlite-schema.js';

/** The store's prepared statements, made once per store. */
export interface SqliteStatements {
  /** `(stream) → last seq | null`. */
  readonly lastSeq: SqliteStatement;
  /** `(stream, seq, payload)`; the feed position is taken in the same statement (see sqlite-feed.ts). */
  readonly insert: SqliteStatement;
  /**
   * `(stream, known, payload, stream, known)`: inserts at `known + 1` only if
   * `known` is the stream's last stored seq (0 for an empty stream); one
   * change or none.
   */
  readonly insertIfLast: SqliteStatement;
  /** `(stream, after, limit) → [count, bytes, last seq]` of the next page: the payloads' stored sizes, not the payloads. */
  readonly pageExtent: SqliteStatement;
  /** `(stream, after, limit) → [seq, bytes][]`: each payload's stored size, for a page that must be cut by bytes. */
  readonly pageSizes: SqliteStatement;
  /** `(stream, after, through) → [seq, payload][]`: the events of a page whose extent was measured. */
  readonly page: SqliteStatement;
  readonly begin: SqliteStatement;
  readonly commit: SqliteStatement;
  readonly rollback: SqliteStatement;
  /** A savepoint inside a transaction the caller opened on a shared `Database`. */
  readonly savepoint: SqliteStatement;
  readonly release: SqliteStatement;
  readonly rollbackToSavepoint: SqliteStatement;
}

/**
 * Prepares the statements. Integers are read as numbers whatever the
 * connection's default (`defaultSafeIntegers`): seqs are safe integers.
 *
 * An append is `insertIfLast` when the store has a guess of the last seq,
 * else `BEGIN IMMEDIATE`, `lastSeq`, `insert`, `COMMIT`. The guess is checked
 * by the statement itself (one more seek of the primary key, measured in
 * the noise of `pnpm bench --only sqlite`), so a guess made stale by a
 * rolled-back transaction or by rows deleted behind the store's back costs
 * a fallback, never a wrong seq. A single `INSERT … SELECT max(seq) + 1 …
 * RETURNING seq` would also take the lock up front, but measured 1.5 to 2
 * times slower: RETURNING and reading the table it writes make SQLite buffer
 * rows in a temporary table.
 */
export function prepareSqliteStatements(db: SqliteDatabase, tables: SqliteTables): SqliteStatements {
  const prepare = (source: string): SqliteStatement => db.prepare(source).safeIntegers(false);
  const nextPosition = `(SELECT coalesce(max(position), 0) + 1 FROM ${tables.events})`;
  return {
    lastSeq: prepare(`SELECT max(seq) FROM ${tables.events} WHERE stream = ?`).pluck(true),
    // Each insert takes the next feed position: max(position) is one seek at the end of the
    // position index, and the statement holds the write lock, so no one else takes the same one.
    insert: prepare(`INSERT INTO ${tables.events} (stream, seq, position, payload) VALUES (?, ?, ${nextPosition}, ?)`),
    insertIfLast: prepare(
      `INSERT INTO ${tables.events} (stream, seq, position, payload) SELECT ?, ? + 1, ${nextPosition}, ?
       WHERE (SELECT coalesce(max(seq), 0) FROM ${tables.events} WHERE stream = ?) = ?`,
    ),
    // octet_length() of a column reads the size from the record header, never the payload (nor its overflow pages).
    pageExtent: prepare(
      `SELECT count(*), coalesce(sum(size), 0), max(seq) FROM
       (SELECT seq, octet_length(payload) AS size FROM ${tables.events} WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?)`,
    ).raw(true),
    pageSizes: prepare(`SELECT seq, octet_length(payload) FROM ${tables.events} WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?`).raw(
      true,
    ),
    page: prepare(`SELECT seq, payload FROM ${tables.events} WHERE stream = ? AND seq > ? AND seq <= ? ORDER BY seq`).raw(true),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT hume_append'),
    release: db.prepare('RELEASE hume_append'),
    rollbackToSavepoint: db.prepare('ROLLBACK TO hume_append'),
  };
}
