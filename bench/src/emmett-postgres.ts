// Emmett's PostgreSQL event store, opened through its public API on the
// server the postgres suite uses.
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';

/**
 * Opens Emmett's store on `url` and creates its schema (emt_* tables in the
 * database's default schema) before any round is timed.
 */
export async function openEmmettPostgres(url: string): Promise<PostgresEventStore> {
  const store = getPostgreSQLEventStore(url);
  await store.schema.migrate();
  return store;
}
