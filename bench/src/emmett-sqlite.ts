// Emmett's SQLite event store, opened through its public API on a file of
// its own, with the durability of the SQLite contenders it runs beside.
import { getSQLiteEventStore, type SQLiteConnection, type SQLiteEventStore, sqliteConnection } from '@event-driven-io/emmett-sqlite';

export interface EmmettSqlite {
  readonly store: SQLiteEventStore;
  /** `PRAGMA synchronous` and `journal_mode` as Emmett's connection reports them. */
  readonly settings: string;
  close(): void;
}

/**
 * With `shared`, one connection for the store's life (Emmett's `singleton`
 * option), set to the given synchronous level; it suits one writer only, as
 * Emmett's transactions on a shared connection nest into one another. Without
 * it, Emmett's default: a connection opened and closed per call, at
 * node-sqlite3's default synchronous (the settings printed say which). Emmett
 * sets WAL itself.
 */
export async function openEmmettSqlite(fileName: string, synchronous: 'FULL' | 'NORMAL', shared = true): Promise<EmmettSqlite> {
  const connection: SQLiteConnection = sqliteConnection({ fileName });
  await connection.command(`PRAGMA synchronous = ${synchronous}`);
  await connection.command('PRAGMA busy_timeout = 5000');
  const store = shared
    ? getSQLiteEventStore({ fileName, connectionOptions: { singleton: true, connection } })
    : getSQLiteEventStore({ fileName });
  if (!shared) {
    // A connection of Emmett's own opening tells the synchronous level its calls run at.
    const probe = sqliteConnection({ fileName });
    const level = await probe.querySingle<{ synchronous: number }>('PRAGMA synchronous');
    probe.close();
    await connection.command(`PRAGMA synchronous = ${level?.synchronous ?? 2}`);
  }
  await store.schema.migrate();
  const sync = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
  const journal = await connection.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
  const names = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
  return {
    store,
    settings: `synchronous=${names[sync?.synchronous ?? -1] ?? sync?.synchronous}, journal_mode=${journal?.journal_mode}`,
    close: () => connection.close(),
  };
}
