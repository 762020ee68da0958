import {
  BackendError,
  compareStreamNames,
  listStreamsPaged,
  StoreClosedError,
  type StreamInfo,
  type StreamRange,
  type StreamsOptions,
} from '@hume/core';
import { describeCause } from './open-sqlite-database.js';
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
 * const streams = new SqliteStreams(db, sqliteTables('hume_'), 512, () => false);
 * for await (const { stream, last } of streams.list({ prefix: 'cart-' })) console.log(stream, last);
 * ```
 */
export class SqliteStreams {
  readonly #db: SqliteDatabase;
  readonly #tables: SqliteTables;
  readonly #pageSize: number;
  readonly #isClosed: () => boolean;
  /** Prepared at the first page, so that a failure there rejects the listing as `BACKEND`. */
  #statements: { after: SqliteStatement; from: SqliteStatement } | undefined;

  constructor(db: SqliteDatabase, tables: SqliteTables, pageSize: number, isClosed: () => boolean) {
    this.#db = db;
    this.#tables = tables;
    this.#pageSize = pageSize;
    this.#isClosed = isClosed;
  }

  /** The store's `streams(options)`: pages of `pageSize` streams, each read in one synchronous call. */
  list(options?: StreamsOptions): AsyncGenerator<StreamInfo, undefined, undefined> {
    const failure = this.#isClosed() ? new StoreClosedError('streams') : undefined;
    const readPage = (range: StreamRange, limit: number): StreamInfo[] => {
      // Stryker disable next-line StringLiteral: equivalent for the contract, a listing under way at close() may complete (C8.6), so no kit reaches this message
      if (this.#isClosed()) throw new StoreClosedError('streams');
      try {
        return this.page(range, limit);
      } catch (error) {
        throw new BackendError(`listing streams failed: ${describeCause(error)}`, error);
      }
    };
    return listStreamsPaged(readPage, options, this.#pageSize, failure);
  }

  /** Up to `limit` streams in `range`, ascending by name. */
  page(range: StreamRange, limit: number): StreamInfo[] {
    this.#statements ??= { after: this.#next('>'), from: this.#next('>=') };
    const { after: afterName, from: fromName } = this.#statements;
    const { after, from, to } = range;
    const page: StreamInfo[] = [];
    let row = (after !== undefined && compareStreamNames(after, from) >= 0 ? afterName.get(after) : fromName.get(from)) as Row;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, an aggregate query always returns its one row (stream null past the last), never undefined
    while (row !== undefined && row[0] !== null && page.length < limit) {
      const [stream, last] = row;
      if (to !== undefined && compareStreamNames(stream, to) >= 0) break;
      page.push({ stream, last: last ?? 0 });
      if (page.length < limit) row = afterName.get(stream) as Row;
    }
    return page;
  }

  /** The stream with the largest seq of the first name `comparison` the given one. */
  #next(comparison: '>' | '>='): SqliteStatement {
    const events = this.#tables.events;
    return this.#db
      .prepare(
        `SELECT stream, max(seq) FROM ${events} WHERE stream = (SELECT stream FROM ${events} WHERE stream ${comparison} ? ORDER BY stream LIMIT 1)`,
      )
      .safeIntegers(false)
      .raw(true);
  }
}

type Row = [stream: string, last: number | null] | [stream: null, last: null] | undefined;
