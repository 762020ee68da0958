import type { CheckpointStorage } from '@hume/core';
import type { CheckpointSink } from './checkpoint-sink.js';
import type { SqliteLikeDatabase } from './sqlite-like.js';

/**
 * A checkpoint sink that commits each batch and its checkpoint in one
 * SQLite transaction: the handler gets the better-sqlite3 `Database` with a
 * transaction open (`BEGIN IMMEDIATE`), writes its read model through it,
 * and the checkpoint is saved by `checkpoints` in the same transaction.
 * Exactly-once for those writes: a crash before `COMMIT` loses both, and the
 * batch comes again on restart.
 *
 * `checkpoints` must be a `SqliteEventStore` opened on this same `db` (its
 * `saveCheckpoint` then writes inside the open transaction). Keep `db` for
 * the consumer: anything else written on it while the handler awaits joins
 * the transaction.
 *
 * @example
 * ```ts
 * const db = new Database('app.db');
 * const store = new SqliteEventStore(db);
 * consume(store, {
 *   name: 'balances',
 *   checkpoints: sqliteTransactions(db, store),
 *   handler: (events, { transaction }) => { for (const e of events) transaction.prepare('INSERT …').run(e.stream) },
 * });
 * ```
 */
export function sqliteTransactions<D extends SqliteLikeDatabase>(db: D, checkpoints: CheckpointStorage): CheckpointSink<D> {
  return {
    load: (name) => checkpoints.loadCheckpoint(name),
    async commit(name, position, apply) {
      db.exec('BEGIN IMMEDIATE');
      try {
        await apply(db);
        await checkpoints.saveCheckpoint(name, position);
        db.exec('COMMIT');
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}
