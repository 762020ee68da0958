/**
 * The part of a better-sqlite3 `Database` that the store uses. It is
 * structural, so this package's types do not depend on `@types/better-sqlite3`:
 * any `new Database(…)` from better-sqlite3 12 or 13 fits.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * const db: SqliteDatabase = new Database('events.db');
 * ```
 */
export interface SqliteDatabase {
  /** False once the connection is closed. */
  readonly open: boolean;
  /** True while a transaction is open on this connection. */
  readonly inTransaction: boolean;
  prepare(source: string): SqliteStatement;
  exec(source: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
}

/** The part of a better-sqlite3 `Statement` that the store uses. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  raw(toggle?: boolean): this;
  pluck(toggle?: boolean): this;
  safeIntegers(toggle?: boolean): this;
}
