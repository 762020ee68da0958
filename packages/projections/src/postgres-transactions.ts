import { checkCheckpoint } from '@hume/core';
import type { CheckpointSink } from './checkpoint-sink.js';
import type { PostgresLikeClient, PostgresLikePool } from './postgres-advisory-lock.js';

/** Where the store's tables are: the `schema` and `tablePrefix` options the `PostgresEventStore` was given. */
export interface PostgresTablesOptions {
  /** Default `'public'`. */
  readonly schema?: string;
  /** Default `'hume_'`. */
  readonly tablePrefix?: string;
}

const plain = /^[a-z_][a-z0-9_]*$/;

/**
 * A checkpoint sink that commits each batch and its checkpoint in one
 * PostgreSQL transaction: the handler gets the pool client with the
 * transaction open (`BEGIN`), writes its read model through it, and the
 * checkpoint row goes to the store's `checkpoints` table (schema version 3)
 * before `COMMIT`. Exactly-once for those writes: a crash or a dropped
 * connection before `COMMIT` rolls back both, and the batch comes again.
 *
 * The transaction is open while the handler runs: keep handlers short, since
 * an open transaction that has written holds every feed of the database back
 * until it ends (clause C13.6; `feedLag()` of `@hume/postgres` shows it).
 *
 * @example
 * ```ts
 * consume(store, {
 *   name: 'balances',
 *   checkpoints: postgresTransactions(pool, { schema: 'billing' }),
 *   handler: async (events, { transaction }) => {
 *     for (const e of events) await transaction.query('INSERT INTO balances …', [e.stream]);
 *   },
 * });
 * ```
 */
export function postgresTransactions(pool: PostgresLikePool, options: PostgresTablesOptions = {}): CheckpointSink<PostgresLikeClient> {
  const { schema = 'public', tablePrefix = 'hume_' } = options;
  if (!plain.test(schema))
    throw new RangeError(`options.schema must be lowercase ASCII letters, digits and _ (got ${JSON.stringify(schema)})`);
  if (tablePrefix !== '' && !plain.test(tablePrefix)) {
    throw new RangeError(`options.tablePrefix must be lowercase ASCII letters, digits and _ (got ${JSON.stringify(tablePrefix)})`);
  }
  const table = `"${schema}"."${tablePrefix}checkpoints"`;
  return {
    async load(name) {
      const invalid = checkCheckpoint(name);
      if (invalid) throw invalid;
      const client = await pool.connect();
      try {
        const { rows } = await client.query(`SELECT position FROM ${table} WHERE name = $1`, [name]);
        client.release();
        return rows[0]?.position as string | undefined;
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
    async commit(name, position, apply) {
      const invalid = checkCheckpoint(name, position);
      if (invalid) throw invalid;
      const client = await pool.connect();
      // A connection lost while it is checked out emits 'error'; without a listener that would end the process.
      const ignore = (): void => undefined;
      client.on('error', ignore);
      try {
        await client.query('BEGIN');
        await apply(client);
        await client.query(
          `INSERT INTO ${table} (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
          [name, position],
        );
        await client.query('COMMIT');
        client.off('error', ignore);
        client.release();
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.off('error', ignore);
        // Not reused: the connection may be broken, or still inside a transaction it could not end.
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
  };
}
