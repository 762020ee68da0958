import { HumeError } from '@hume/core';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * The schema version this release writes and reads. A later release that
 * changes the tables bumps it and migrates files that carry an older one.
 */
export const SQLITE_SCHEMA_VERSION = 1;

/** The quoted names of one store's tables. */
export interface SqliteTables {
  readonly events: string;
  readonly schema: string;
  /** The index of the feed's positions. */
  readonly feedIndex: string;
  /** Projection snapshots (clause C14). */
  readonly snapshots: string;
  /** Consumers' checkpoints (clause C15). */
  readonly checkpoints: string;
}

/** The tables of the store with this (already validated) prefix, quoted for SQL. */
export function sqliteTables(prefix: string): SqliteTables {
  return {
    events: `"${prefix}events"`,
    schema: `"${prefix}schema"`,
    feedIndex: `"${prefix}events_position"`,
    snapshots: `"${prefix}snapshots"`,
    checkpoints: `"${prefix}checkpoints"`,
  };
}

/**
 * Creates the store's tables if they are missing and records the schema
 * version, or checks the recorded one. It runs under `BEGIN IMMEDIATE`, so
 * processes that open a new file at once take turns: the first creates,
 * the others find the tables made.
 *
 * `WITHOUT ROWID` with the primary key `(stream, seq)` keeps each stream's
 * events together in key order: the last seq is one index seek, and a read
 * page is one range scan.
 *
 * `position` orders the global feed: each append sets it to
 * `max(position) + 1` inside its write transaction, so positions follow
 * commit order. Its unique index is the feed's keyset; in a `WITHOUT ROWID`
 * table an index entry carries the primary key too, so a feed filtered by
 * stream prefix tests the name on the index and reads only matching rows.
 *
 * The snapshot and checkpoint tables (clauses C14, C15) came later and are
 * created when missing, without a new schema version: a release that does
 * not know them still reads and appends events correctly in a file that has
 * them.
 */
export function ensureSqliteSchema(db: SqliteDatabase, tables: SqliteTables): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${tables.events} (
        stream TEXT NOT NULL,
        seq INTEGER NOT NULL,
        position INTEGER NOT NULL,
        payload TEXT NOT NULL,
        PRIMARY KEY (stream, seq)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX IF NOT EXISTS ${tables.feedIndex} ON ${tables.events} (position);
      CREATE TABLE IF NOT EXISTS ${tables.snapshots} (
        stream TEXT NOT NULL,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (stream, name)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ${tables.checkpoints} (
        name TEXT NOT NULL PRIMARY KEY,
        position TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ${tables.schema} (version INTEGER NOT NULL);
      INSERT INTO ${tables.schema} (version) SELECT ${SQLITE_SCHEMA_VERSION} WHERE NOT EXISTS (SELECT 1 FROM ${tables.schema});`,
    );
    const row = db.prepare(`SELECT max(version) AS version FROM ${tables.schema}`).safeIntegers(false).get() as { version: number };
    // kit scope: outside the contract — a file written by a newer @hume/sqlite: no kit target makes one
    if (row.version > SQLITE_SCHEMA_VERSION) {
      throw new HumeError(
        'BACKEND',
        `table ${tables.schema} records schema version ${row.version}, newer than the ${SQLITE_SCHEMA_VERSION} this @hume/sqlite knows: upgrade @hume/sqlite to open this file`,
      );
    }
    // kit scope: end
    db.exec('COMMIT');
  } catch (error) {
    // kit scope: outside the contract — a schema step that fails: no kit target makes one
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
    // kit scope: end
  }
}
