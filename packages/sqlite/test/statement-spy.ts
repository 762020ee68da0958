import type { SqliteDatabase, SqliteStatement } from '@hume/sqlite';
import type Database from 'better-sqlite3';

type Method = 'run' | 'get' | 'all' | 'iterate';

/**
 * `db` as the store sees it, but every call of `method` on a statement whose
 * SQL passes `matches` is reported to `spy` with its parameters first: to
 * see which statements the store runs, how often, with what.
 *
 * @example
 * ```ts
 * let begun = 0;
 * const store = new SqliteEventStore(spyOnStatements(new Database(file), (sql) => sql === 'BEGIN IMMEDIATE', 'run', () => begun++));
 * ```
 */
export function spyOnStatements(
  db: Database.Database,
  matches: (source: string) => boolean,
  method: Method,
  spy: (params: unknown[]) => void,
): SqliteDatabase {
  return {
    get open() {
      return db.open;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    prepare(source: string): SqliteStatement {
      const statement = db.prepare(source) as unknown as SqliteStatement;
      if (matches(source)) {
        const call = statement[method].bind(statement) as (...params: unknown[]) => never;
        statement[method] = (...params: unknown[]) => {
          spy(params);
          return call(...params);
        };
      }
      return statement;
    },
    exec: (source) => db.exec(source),
    pragma: (source, options) => db.pragma(source, options),
    close: () => db.close(),
  };
}
