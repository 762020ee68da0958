import { cutPage, type EventPage, type Seq } from '@hume/core';
import { parseSqlitePage, type SqlitePageRow } from './parse-sqlite-page.js';
import type { SqliteStatements } from './sqlite-statements.js';

/**
 * Reads one page of a stream: the events after `after`, at most `limit` of
 * them and at most `pageBytes` of stored payload (always at least one
 * event), so that a read of large payloads holds about one page's byte
 * budget, not `limit` payloads.
 *
 * Two statements per page. The first measures the next `limit` events
 * from their record headers (count, total bytes, last seq) without loading
 * a payload; when they fit the budget, which is the usual case, the second
 * fetches exactly those events (`seq <= last`, so an event appended in
 * between cannot slip in). Measured on 200,000 small events in pages of 512
 * against one `LIMIT` query: 0.99 × its speed; a single statement with a
 * window sum of the sizes measured 0.61 ×, and stepping rows one at a time
 * (`iterate()`) 0.78 ×. A page that does not fit reads each event's size
 * and ends at the last event that fits.
 *
 * @example
 * ```ts
 * const page = readSqlitePage(statements, 'cart-1', 0, 512, 4 * 2 ** 20);
 * ```
 */
export function readSqlitePage<P>(sql: SqliteStatements, stream: string, after: Seq, limit: number, pageBytes: number): EventPage<P> {
  const [count, bytes, last] = sql.pageExtent.get(stream, after, limit) as [number, number, number | null];
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, an empty extent read on finds no row (`seq <= NULL`)
  if (count === 0 || last === null) return [];
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the size walk below reads the same events when they fit, in one more statement
  if (bytes <= pageBytes) return parseSqlitePage<P>(sql.page.all(stream, after, last) as SqlitePageRow[]);
  const sizes = sql.pageSizes.all(stream, after, limit) as [seq: number, bytes: number][];
  let through = sizes[0]![0];
  let total = sizes[0]![1];
  let fitting = 1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the budget ends the loop before the rows run out (this branch runs only when their sizes add up to more than pageBytes)
  while (fitting < sizes.length && total + sizes[fitting]![1] <= pageBytes) {
    total += sizes[fitting]![1];
    through = sizes[fitting++]![0];
  }
  return cutPage(parseSqlitePage<P>(sql.page.all(stream, after, through) as SqlitePageRow[]));
}
