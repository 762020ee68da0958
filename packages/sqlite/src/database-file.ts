import type { SqliteDatabase } from './sqlite-database.js';

/**
 * The path of the database's main file as SQLite opened it (absolute, with
 * symbolic links resolved: where its write-ahead log lives), or
 * `undefined` for an in-memory or temporary database, which has no file
 * another process could write. Read from `PRAGMA database_list`, not from
 * the name the file was opened with, which may be relative to a working
 * directory since changed, or a link to a file in another folder.
 *
 * @example
 * ```ts
 * databaseFile(new Database('events.db')); // '/srv/app/events.db'
 * ```
 */
// kit scope: outside the contract — latency only: the file whose log wakes live feeds (see watch-wal.ts)
export function databaseFile(db: SqliteDatabase): string | undefined {
  try {
    const databases = db.pragma('database_list') as { name?: unknown; file?: unknown }[];
    const file = databases.find((database) => database.name === 'main')?.file;
    return typeof file === 'string' && file !== '' ? file : undefined;
  } catch {
    return undefined; // no watch, then: live feeds poll
  }
}
// kit scope: end
