import { BackendError, checkCheckpoint } from '@hume/core';
import { describeCause } from './open-sqlite-database.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTables } from './sqlite-schema.js';

/**
 * The checkpoint table of clause C15: one row per consumer name. Saved
 * inside a transaction of the caller's when one is open on a shared
 * `Database`, so a read model written in that transaction and its
 * checkpoint commit together.
 *
 * @example
 * ```ts
 * const checkpoints = new SqliteCheckpoints(db, sqliteTables('hume_'));
 * checkpoints.save('balances', '0000000000000012');
 * ```
 */
export class SqliteCheckpoints {
  readonly #db: SqliteDatabase;
  readonly #tables: SqliteTables;
  #statements: { save: SqliteStatement; load: SqliteStatement } | undefined;

  constructor(db: SqliteDatabase, tables: SqliteTables) {
    this.#db = db;
    this.#tables = tables;
  }

  save(name: string, position: string): void {
    const invalid = checkCheckpoint(name, position);
    if (invalid) throw invalid;
    try {
      this.#sql().save.run(name, position);
    } catch (error) {
      throw new BackendError(`saving the checkpoint ${JSON.stringify(name)} failed: ${describeCause(error)}`, error);
    }
  }

  load(name: string): string | undefined {
    const invalid = checkCheckpoint(name);
    if (invalid) throw invalid;
    try {
      return this.#sql().load.get(name) as string | undefined;
    } catch (error) {
      throw new BackendError(`loading the checkpoint ${JSON.stringify(name)} failed: ${describeCause(error)}`, error);
    }
  }

  #sql(): { save: SqliteStatement; load: SqliteStatement } {
    const table = this.#tables.checkpoints;
    this.#statements ??= {
      save: this.#db.prepare(
        `INSERT INTO ${table} (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      ),
      load: this.#db.prepare(`SELECT position FROM ${table} WHERE name = ?`).pluck(true),
    };
    return this.#statements;
  }
}
