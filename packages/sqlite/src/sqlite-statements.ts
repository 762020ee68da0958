import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTables } from './sqlite-schema.js';

/** The store's prepared statements, made once per store. */
export interface SqliteStatements {
  /** `(stream) → last seq | null`. */
  readonly lastSeq: SqliteStatement;
  /** `(stream, seq, payload)`. */
  readonly insert: SqliteStatement;
  /** `(stream, after, limit) → [seq, payload][]`: one keyset page. */
  readonly page: SqliteStatement;
  readonly begin: SqliteStatement;
  readonly commit: SqliteStatement;
  readonly rollback: SqliteStatement;
}

/**
 * Prepares the statements. Integers are read as numbers whatever the
 * connection's default (`defaultSafeIntegers`): seqs are safe integers.
 *
 * An append is `BEGIN IMMEDIATE`, `lastSeq`, `insert`, `COMMIT`. A single
 * `INSERT … SELECT max(seq) + 1 … RETURNING seq` would also take the lock
 * up front, but measured 1.5 to 2 times slower: RETURNING and reading the
 * table it writes make SQLite buffer rows in a temporary table.
 */
export function prepareSqliteStatements(db: SqliteDatabase, tables: SqliteTables): SqliteStatements {
  const prepare = (source: string): SqliteStatement => db.prepare(source).safeIntegers(false);
  return {
    lastSeq: prepare(`SELECT max(seq) FROM ${tables.events} WHERE stream = ?`).pluck(true),
    insert: prepare(`INSERT INTO ${tables.events} (stream, seq, payload) VALUES (?, ?, ?)`),
    page: prepare(`SELECT seq, payload FROM ${tables.events} WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?`).raw(true),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
  };
}
