import { compareStreamNames, type StreamInfo, type StreamRange } from '@hume/core';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
import type { SqliteTables } from './sqlite-schema.js';

/**
 * The stream listing of clause C12 on the events table alone. There is no
 * table of streams, and `GROUP BY stream` would read every event of each
 * listed stream, so each stream costs one statement with two index seeks on
 * the primary key `(stream, seq)`: the first name past the previous one,
 * then that name's largest seq. A page of 512 streams is 512 such lookups
 * in one synchronous call, whatever the streams' lengths.
 *
 * SQLite compares TEXT with its BINARY collation, which is the order of the
 * UTF-8 bytes: the code-point order the contract asks for.
 *
 * @example
 * ```ts
 * const streams = new SqliteStreams(db, sqliteTables('hume_'));
 * streams.page({ after: undefined, from: 'cart-', to: 'cart.' }, 100);
 * ```
 */
export class SqliteStreams {
  readonly #after: SqliteStatement;
  readonly #from: SqliteStatement;

  constructor(db: SqliteDatabase, tables: SqliteTables) {
    const next = (comparison: '>' | '>='): SqliteStatement =>
      db
        .prepare(
          `SELECT stream, max(seq) FROM ${tables.events} WHERE stream = (SELECT stream FROM ${tables.events} WHERE stream ${comparison} ? ORDER BY stream LIMIT 1)`,
        )
        .safeIntegers(false)
        .raw(true);
    this.#after = next('>');
    this.#from = next('>=');
  }

  /** Up to `limit` streams in `range`, ascending by name. */
  page(range: StreamRange, limit: number): StreamInfo[] {
    const { after, from, to } = range;
    const page: StreamInfo[] = [];
    let row = (after !== undefined && compareStreamNames(after, from) >= 0 ? this.#after.get(after) : this.#from.get(from)) as Row;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, an aggregate query always returns its one row (stream null past the last), never undefined
    while (row !== undefined && row[0] !== null && page.length < limit) {
      const [stream, last] = row;
      if (to !== undefined && compareStreamNames(stream, to) >= 0) break;
      page.push({ stream, last: last ?? 0 });
      if (page.length < limit) row = this.#after.get(stream) as Row;
    }
    return page;
  }
}

type Row = [stream: string, last: number | null] | [stream: null, last: null] | undefined;
