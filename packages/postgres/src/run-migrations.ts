import type { Pool, PoolClient } from 'pg';
import { encodingProblem, encodingQuery } from './check-encoding.js';
import { citusInstalled, distributeTables } from './distribute-tables.js';
import type { MigrateResult } from './migrate-result.js';
import { backoff, sqlState } from './postgres-failure.js';
import type { ResolvedOptions } from './postgres-options.js';
import { MAX_SEQ_SQL, migrations, SCHEMA_VERSION } from './postgres-schema.js';
import { rawTypes } from './raw-types.js';
import { borrowClient } from './run-statement.js';

/**
 * SQLSTATEs of a migration that lost a race with another process running
 * the same step: the catalog's own unique indexes (a table, its row type or a schema created
 * at the same moment), a version recorded twice, or a serialization abort.
 * Each rolls the whole transaction back, and the next attempt finds the
 * winner's work done.
 */
// kit scope: outside the contract — migrate() itself, an API of this adapter's own: the kit's targets run on the schema it made (postgres-schema.ts, in scope), but its races with other processes, retries and version checks are the adapter's own tests' job
const lostRace: ReadonlySet<string> = new Set(['23505', '42P06', '42P07', '42710', '40001', '40P01']);
const MAX_ATTEMPTS = 10;

/**
 * Brings the schema to {@link SCHEMA_VERSION}, each pending step in one
 * transaction with its version recorded, then the tables' placement on
 * Citus in line with the `citus` option ({@link distributeTables}), and
 * retries when another process is migrating at the same moment. No advisory lock: the catalog's unique
 * indexes and the migrations table's primary key decide the race.
 *
 * @example
 * ```ts
 * const { from, to } = await runMigrations(pool, resolveOptions({ schema: 'shop' }));
 * ```
 */
export async function runMigrations(pool: Pool, options: ResolvedOptions): Promise<MigrateResult> {
  for (let attempt = 1; ; attempt++) {
    let broken: Error | undefined;
    // A connection lost while checked out emits 'error'; without a listener that would end the process.
    const onError = (error: Error): void => {
      broken = error;
    };
    const client = await borrowClient(pool, onError);
    try {
      if (options.citus) await citusInstalled(client, options);
      const result = await migrateOnce(client, options);
      await distributeTables(client, options);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      if (attempt >= MAX_ATTEMPTS || !lostRace.has(sqlState(error) ?? '')) throw error;
    } finally {
      client.off('error', onError);
      client.release(broken ?? false);
    }
    await backoff(attempt);
  }
}

async function migrateOnce(client: PoolClient, options: ResolvedOptions): Promise<MigrateResult> {
  const { migrations: table, schema } = options;
  const encoding = await client.query<[string, string]>({ text: encodingQuery, rowMode: 'array', types: rawTypes });
  const problem = encodingProblem(encoding.rows[0]?.[0], encoding.rows[0]?.[1]);
  if (problem !== undefined) throw new Error(problem);
  // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege on the database
  // even when the schema exists, so it is issued only for a missing schema.
  const found = await client.query({ text: 'SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', values: [schema] });
  if (found.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
    version integer NOT NULL PRIMARY KEY CHECK (version BETWEEN 1 AND ${MAX_SEQ_SQL}),
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<[string]>({
    text: `SELECT coalesce(max(version), 0) FROM ${table}`,
    rowMode: 'array',
    types: rawTypes,
  });
  const from = Number(rows[0]?.[0] ?? 0);
  if (from > SCHEMA_VERSION) {
    throw new Error(
      `the schema at ${table} is at version ${from}, newer than this @hume/postgres knows (${SCHEMA_VERSION}); upgrade the package`,
    );
  }
  const pending = migrations.filter((step) => step.version > from);
  if (pending.length === 0) return { from, to: from };
  await client.query('BEGIN');
  for (const step of pending) {
    for (const statement of step.statements(options)) await client.query(statement);
    // A plain INSERT, so a process that applied the same step a moment earlier makes this one fail and retry.
    await client.query({ text: `INSERT INTO ${table} (version, description) VALUES ($1, $2)`, values: [step.version, step.description] });
  }
  await client.query('COMMIT');
  return { from, to: SCHEMA_VERSION };
}
