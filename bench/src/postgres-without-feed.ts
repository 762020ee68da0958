import type pg from 'pg';
import { resolveOptions } from '../../packages/postgres/dist/postgres-options.js';
import { migrations } from '../../packages/postgres/dist/postgres-schema.js';
import { type Statements, statementsFor } from '../../packages/postgres/dist/postgres-statements.js';

/**
 * The append path's SQL with what the feed adds taken out: the `tx`
 * columns of both tables and every write of them (`greatest(…)` on the
 * counter row), and the `ORDER BY` that takes positions in seq order. What
 * is left is the schema's append path as it was before the feed.
 *
 * @example
 * ```ts
 * withoutFeed('INSERT INTO s (stream, seq, tx) VALUES ($1, 1, pg_current_xact_id())'); // 'INSERT INTO s (stream, seq) VALUES ($1, 1)'
 * ```
 */
export function withoutFeed(sql: string): string {
  const stripped = sql
    .replace(/, tx = greatest\(s\.tx, (excluded\.tx|pg_current_xact_id\(\))\)/g, '')
    .replace(/RETURNING s\.seq, s\.tx INTO v_running, v_tx/g, 'RETURNING s.seq INTO v_running')
    .replace(/\s+RETURNING s\.tx INTO v_tx/g, '')
    .replace(/, s\.tx\b/g, '')
    .replace(/\(stream, seq, tx\)/g, '(stream, seq)')
    .replace(/\(stream, seq, payload, tx\)/g, '(stream, seq, payload)')
    .replace(/, pg_current_xact_id\(\)/g, '')
    .replace(/, (counter|c)\.tx\b/g, '')
    .replace(/, v_tx\b/g, '')
    .replace(/, array_agg\(c\.tx ORDER BY c\.stream COLLATE "C"\) AS txs/g, '')
    .replace(/,\s*array_agg\(\(SELECT txs FROM ends\)\[u\.g\] ORDER BY u\.i, k\) AS txs/g, '')
    .replace(/, unnest\(event_rows\.txs\)/g, '')
    .replace(/, \(SELECT txs FROM ends\)\[x\.i\]/g, '')
    .replace(/\n\s*v_tx xid8;/g, '')
    .replace(/\s*-- Positions are taken in seq order[^\n]*/g, '')
    .replace(/\s+ORDER BY (p\.n|2|u\.i, k)(?=;|\n)/g, '');
  // An ORDER BY inside an aggregate stays: it lines the events up with their payloads.
  if (/\btxs?\b|xact_id|ORDER BY (p\.n|2|u\.i, k)(?=;|\n)/.test(stripped)) {
    throw new Error(`the append SQL changed: withoutFeed() left part of the feed in it:\n${stripped}`);
  }
  return stripped;
}

/**
 * Creates `schema` as the adapter's schema without the feed (no `tx`, no
 * `position`, neither feed index, the append functions without them) and
 * returns the statements to append to it, the adapter's own statements
 * stripped by {@link withoutFeed}.
 *
 * @example
 * ```ts
 * const sql = await createSchemaWithoutFeed(pool, 'bench_nofeed');
 * ```
 */
export async function createSchemaWithoutFeed(pool: pg.Pool, schema: string): Promise<Statements> {
  const options = resolveOptions({ schema });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  for (const migration of migrations) {
    for (const statement of migration.statements(options)) {
      if (statement.includes(options.feedIndex) || statement.includes(options.feedStreamIndex)) continue;
      await pool.query(
        withoutFeed(
          statement
            .replace(/,\s*tx xid8 NOT NULL DEFAULT pg_current_xact_id\(\)/g, '')
            .replace(/,\s*position bigint NOT NULL GENERATED ALWAYS AS IDENTITY/g, ''),
        ),
      );
    }
  }
  const sql = statementsFor(options);
  const strip = (statement: { name: string; text: string }) => ({ name: `${statement.name}_nofeed`, text: withoutFeed(statement.text) });
  return {
    ...sql,
    appendOne: strip(sql.appendOne),
    appendAllWithoutExpect: strip(sql.appendAllWithoutExpect),
    appendOneEach: strip(sql.appendOneEach),
  };
}
