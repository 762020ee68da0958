import { PostgresEventStore, type PostgresOptions } from '@hume/postgres';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';

/** The server of this run (see global-setup.ts). */
export const databaseUrl = inject('databaseUrl');

/** A schema name of this run's own, dropped by the global teardown when the server is shared. */
export function schemaName(label: string): string {
  return `${inject('schemaPrefix')}_${label}`;
}

/** A pool whose idle connections may be killed without ending the test process. */
export function newPool(config: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, ...config });
  pool.on('error', () => undefined);
  return pool;
}

/** A store on its own pool, in `schema`, already migrated. */
export async function migratedStore(schema: string, options: PostgresOptions = {}): Promise<PostgresEventStore> {
  const store = new PostgresEventStore(databaseUrl, { schema, ...options });
  await store.migrate();
  return store;
}

/** The store of one test file, on a pool of its own in a schema of its own: migrated before the tests, closed with its pool after. */
export function storeForFile(label: string, config: pg.PoolConfig = {}): { schema: string; pool: pg.Pool; store: PostgresEventStore } {
  const schema = schemaName(label);
  const pool = newPool(config);
  const store = new PostgresEventStore(pool, { schema });
  beforeAll(async () => {
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });
  return { schema, pool, store };
}

/** Runs `sql` on a connection of its own, outside any pool under test. */
export async function admin<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Ends every session of `applicationName`, the way an operator or a failover would. Returns how many. */
export async function terminateSessions(applicationName: string): Promise<number> {
  const rows = await admin<{ pid: number }>(
    'SELECT pg_terminate_backend(pid) AS killed, pid FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
    [applicationName],
  );
  return rows.length;
}

/** How many sessions of `applicationName` the server has. */
export async function sessionsOf(applicationName: string): Promise<number> {
  const [row] = await admin<{ count: string }>('SELECT count(*)::text AS count FROM pg_stat_activity WHERE application_name = $1', [
    applicationName,
  ]);
  return Number(row?.count);
}

/** The seqs stored for a stream, read with plain SQL. */
export async function storedSeqs(schema: string, stream: string): Promise<number[]> {
  const rows = await admin<{ text: string }>(`SELECT seq::text AS text FROM "${schema}".hume_events WHERE stream = $1 ORDER BY seq`, [
    stream,
  ]);
  return rows.map((row) => Number(row.text));
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
}
