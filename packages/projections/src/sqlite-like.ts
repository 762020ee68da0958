/**
 * The part of a better-sqlite3 `Database` this package uses: structural, so
 * it needs neither better-sqlite3 nor @hume/sqlite to install.
 */
export interface SqliteLikeDatabase {
  readonly inTransaction: boolean;
  exec(source: string): unknown;
  prepare(source: string): { run(...params: unknown[]): { changes: number } };
}
