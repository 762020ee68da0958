import { BackendError } from '@hume/core';
import Database from 'better-sqlite3';
import { describeArgument } from './describe-argument.js';
import type { SqliteDatabase } from './sqlite-database.js';
import type { ResolvedSqliteOptions } from './sqlite-options.js';

/** A connection ready for the store, and whether the store opened it (and so closes it). */
export interface OpenedSqliteDatabase {
  readonly db: SqliteDatabase;
  readonly owned: boolean;
}

/**
 * Opens `database` (a file path) or adopts it (an open better-sqlite3
 * `Database`), then sets the connection's pragmas: WAL, so readers and one
 * writer never block each other; the busy timeout; the durability.
 *
 * @example
 * ```ts
 * const { db, owned } = openSqliteDatabase('events.db', resolveSqliteOptions());
 * ```
 */
export function openSqliteDatabase(database: string | SqliteDatabase, options: ResolvedSqliteOptions): OpenedSqliteDatabase {
  const owned = typeof database === 'string';
  // kit scope: outside the contract — the constructor's check of its database argument
  if (owned && database.length === 0)
    throw new TypeError('database must be a file path, ":memory:", or an open better-sqlite3 Database (got "")');
  if (!owned && !isSqliteDatabase(database)) {
    throw new TypeError(`database must be a file path, ":memory:", or an open better-sqlite3 Database (got ${describeArgument(database)})`);
  }
  if (!owned && !database.open) throw new TypeError('database must be open (got a closed Database)');
  // kit scope: end
  let db: SqliteDatabase | undefined;
  try {
    // Stryker disable next-line ObjectLiteral: equivalent, the busy_timeout pragma on the next line sets the same wait
    db = owned ? new Database(database, { timeout: options.busyTimeout }) : database;
    db.pragma(`busy_timeout = ${options.busyTimeout}`);
    // kit scope: outside the contract — WAL (speed; readers never wait for the writer) and the synchronous level (what a power loss keeps): no outcome
    // a kit can observe depends on them. And a constructor that fails to open its file.
    useWal(db, options.busyTimeout);
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    return { db, owned };
  } catch (error) {
    if (owned) db?.close();
    throw new BackendError(`opening the SQLite database ${owned ? JSON.stringify(database) : ''} failed: ${describeCause(error)}`, error);
  }
  // kit scope: end
}

// kit scope: outside the contract — opening the file (see openSqliteDatabase)
/**
 * Switches the file to WAL (a setting of the file, kept across opens). The
 * switch needs the file to itself, and SQLite reports a conflict with
 * another process opening a new file at the same moment as SQLITE_BUSY
 * without always calling the busy handler, hence the retries.
 */
function useWal(db: SqliteDatabase, busyTimeout: number): void {
  const deadline = Date.now() + busyTimeout;
  for (;;) {
    try {
      const mode = db.pragma('journal_mode', { simple: true });
      // An in-memory database keeps 'memory'; there is no file to share.
      if (mode === 'wal' || mode === 'memory') return;
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function isSqliteDatabase(value: unknown): value is SqliteDatabase {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['prepare', 'exec', 'pragma', 'close'].every((name) => typeof candidate[name] === 'function');
}

// kit scope: end

/** The driver's message, for the text of the error that wraps it. */
export function describeCause(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
