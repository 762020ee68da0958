import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTables } from './sqlite-schema.js';

/** The store's prepared statements, made once per store. */
export interface SqliteStatements {
  /** `(stream, payload, stream) → { seq }`: appends at last + 1 in one statement. */
  readonly appendNext: SqliteStatement;
  /** `(stream, seq, payload)`: appends at a seq already checked under the write lock. */
  readonly insert: SqliteStatement;
  /** `(stream) → { last }`: the stream's last seq, 0 when it has none. */
  readonly lastSeq: SqliteStatement;
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
 * A single `INSERT … SELECT` takes the write lock when it starts, before
 * it reads the last seq, so concurrent writers (other processes included)
 * queue on the busy timeout rather than race to the same seq.
 */
export function prepareSqliteStatements(db: SqliteDatabase, tables: SqliteTables): SqliteStatements {
  const prepare = (source: string): SqliteStatement => db.prepare(source).safeIntegers(false);
  return {
    appendNext: prepare(
      `INSERT INTO ${tables.events} (stream, seq, payload)
       SELECT ?, coalesce(max(seq), 0) + 1, ? FROM ${tables.events} WHERE stream = ?
       RETURNING seq`,
    ),
    insert: prepare(`INSERT INTO ${tables.events} (stream, seq, payload) VALUES (?, ?, ?)`),
    lastSeq: prepare(`SELECT coalesce(max(seq), 0) AS last FROM ${tables.events} WHERE stream = ?`),
    page: prepare(`SELECT seq, payload FROM ${tables.events} WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?`).raw(true),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
  };
}
