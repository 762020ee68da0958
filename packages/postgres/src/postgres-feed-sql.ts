import type { PageBudget } from '@hume/core';
import { payloadColumnsWithin } from './payload-columns-within.js';
import type { ResolvedOptions } from './postgres-options.js';

/** The SQL of the feed, for one store's tables. */
export interface FeedSql {
  /**
   * `$1` tx (`xid8`), `$2` position (`bigint`): the cursor, the whole sort
   * key of the last event yielded; `$3` limit, `$4` the largest payload
   * sent. One page of `[tx, position, stream, seq, payload, withheld_bytes]`
   * rows, every one below the horizon: `payload` is NULL and
   * `withheld_bytes` its size when it is over `$4` (see {@link payloadColumnsWithin}).
   */
  readonly page: string;
  /** The same, `$5` a `LIKE` pattern for the stream names (see {@link likePrefix}). */
  readonly prefixPage: string;
  /** One row, one column: `t` when committed events wait behind a running transaction. */
  readonly held: string;
  /** One row: held events, age (ms) and pid of the oldest running transaction that has an xid. */
  readonly lag: string;
}

/** Every transaction below this has ended: the feed never reads at or past it. */
const HORIZON = 'pg_snapshot_xmin(pg_current_snapshot())';

/**
 * Builds the feed's SQL. The page reads the `(tx, position)` index as a
 * range from the cursor: the row comparison is an index condition, in a
 * generic plan too (a prepared statement after five runs; see the EXPLAIN
 * test). Output columns are aliased: `ORDER BY tx` would otherwise sort by
 * a text output column of that name (`'105' < '99'`), a sort of the whole
 * range. Payloads over the byte allowance `$4` are withheld, as `events`
 * does (see {@link PageBudget}).
 *
 * A prefix page adds `stream COLLATE "C" LIKE $5`: sent unprepared, so the
 * planner sees the pattern and picks, per prefix, the `(tx, position)`
 * index filtered by name (a common prefix) or a range of the
 * `(stream COLLATE "C", tx, position)` index, sorted (a rare one).
 *
 * @example
 * ```ts
 * const { page } = feedSqlFor(resolveOptions({ schema: 'billing' }));
 * ```
 */
export function feedSqlFor({ events }: ResolvedOptions): FeedSql {
  const page = (filter: string): string =>
    `SELECT tx::text AS tx_text, position::text AS position_text, stream, seq::text AS seq_text, ${payloadColumnsWithin(4)}
     FROM ${events}
     WHERE (tx, position) > ($1::xid8, $2::bigint) AND tx < ${HORIZON}${filter}
     ORDER BY tx, position LIMIT $3`;
  return {
    page: page(''),
    prefixPage: page(` AND stream COLLATE "C" LIKE $5`),
    // Stryker disable next-line StringLiteral: latency only: whether a running transaction holds the feed back, which sets how soon a waiting live feed looks again (20 ms, doubling, or 5 s)
    held: `SELECT EXISTS (SELECT 1 FROM ${events} WHERE tx >= ${HORIZON})`,
    // Stryker disable next-line StringLiteral: the SQL of feedLag(), an API of this adapter's own
    lag: `SELECT (SELECT count(*) FROM ${events} WHERE tx >= ${HORIZON})::text, oldest.ms::text, oldest.pid::text
      FROM (SELECT 1) AS one LEFT JOIN (
        SELECT (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::bigint AS ms, pid FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL ORDER BY age(backend_xid) DESC LIMIT 1
      ) AS oldest ON true`,
  };
}

/**
 * The `LIKE` pattern of the names that start with `prefix`, its `\`, `%`
 * and `_` escaped (a stream name may hold any of them).
 *
 * @example
 * ```ts
 * likePrefix('cart_'); // 'cart\\_%'
 * ```
 */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, '\\$&')}%`;
}
