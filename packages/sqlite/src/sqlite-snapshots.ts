import { BackendError, checkSnapshotKey, type Json, prepareSnapshot, type Snapshot } from '@hume/core';
import { describeCause } from './open-sqlite-database.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTables } from './sqlite-schema.js';

/**
 * The snapshot table of clause C14: one row per (stream, name), the state
 * as the JSON text that was checked. A save is one upsert, so a load sees
 * a whole snapshot, the last one saved. Statements are prepared on first
 * use, so stores that never snapshot pay nothing.
 *
 * @example
 * ```ts
 * const snapshots = new SqliteSnapshots(db, sqliteTables('hume_'), 16 * 1024 * 1024);
 * snapshots.save('account-1', 'balance', { version: 1, seq: 3, state: { balance: 5 } });
 * ```
 */
export class SqliteSnapshots {
  readonly #db: SqliteDatabase;
  readonly #tables: SqliteTables;
  readonly #maxPayloadBytes: number;
  #statements: { save: SqliteStatement; load: SqliteStatement } | undefined;

  constructor(db: SqliteDatabase, tables: SqliteTables, maxPayloadBytes: number) {
    this.#db = db;
    this.#tables = tables;
    this.#maxPayloadBytes = maxPayloadBytes;
  }

  save(stream: string, name: string, snapshot: Snapshot): void {
    const prepared = prepareSnapshot(stream, name, snapshot, { maxPayloadBytes: this.#maxPayloadBytes });
    if (!prepared.ok) throw prepared.error;
    try {
      this.#sql().save.run(stream, name, prepared.version, prepared.seq, prepared.stateJson);
    } catch (error) {
      throw new BackendError(
        `saving the snapshot ${JSON.stringify(name)} of stream ${JSON.stringify(stream)} failed: ${describeCause(error)}`,
        error,
      );
    }
  }

  load(stream: string, name: string): Snapshot | undefined {
    const invalid = checkSnapshotKey(stream, name);
    if (invalid) throw invalid;
    try {
      const row = this.#sql().load.get(stream, name) as [version: number, seq: number, state: string] | undefined;
      if (row === undefined) return undefined;
      // A damaged row fails here and is reported as a backend failure (C14.5), never as a snapshot.
      return { version: row[0], seq: row[1], state: JSON.parse(row[2]) as Json };
    } catch (error) {
      throw new BackendError(
        `loading the snapshot ${JSON.stringify(name)} of stream ${JSON.stringify(stream)} failed: ${describeCause(error)}`,
        error,
      );
    }
  }

  #sql(): { save: SqliteStatement; load: SqliteStatement } {
    const table = this.#tables.snapshots;
    this.#statements ??= {
      save: this.#db.prepare(
        `INSERT INTO ${table} (stream, name, version, seq, state) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (stream, name) DO UPDATE SET version = excluded.version, seq = excluded.seq, state = excluded.state`,
      ),
      load: this.#db.prepare(`SELECT version, seq, state FROM ${table} WHERE stream = ? AND name = ?`).raw(true).safeIntegers(false),
    };
    return this.#statements;
  }
}
