import { PostgresEventStore } from '@hume/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedSqlFor, likePrefix } from '../src/postgres-feed-sql.js';
import { resolveOptions } from '../src/postgres-options.js';
import { admin, databaseUrl, newPool, schemaName } from './database.js';

const schema = schemaName('feed');
const pool = newPool({ max: 4 });
const store = new PostgresEventStore(pool, { schema });
const sql = feedSqlFor(resolveOptions({ schema }));

beforeAll(async () => {
  await store.migrate();
  // Enough rows, with fresh statistics, that the planner chooses between plans as it would in production.
  // Each its own tx, as separate appends would have (a small xid8, below any horizon).
  await admin(
    `INSERT INTO "${schema}".hume_events (stream, seq, payload, tx) SELECT 'bulk-' || (i % 100), i, '{}', i::text::xid8 FROM generate_series(1, 20000) AS i`,
  );
  for (const stream of ['rare-1', 'rare-2', 'rare-3']) await store.append(stream, 1);
  await admin(`ANALYZE "${schema}".hume_events`);
});
afterAll(async () => {
  await store.close();
  await pool.end();
});

/** A transaction of its own that has written (so it holds an xid) and stays open until `end()`. */
async function openTransaction(): Promise<{ end: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_current_xact_id()');
  return {
    end: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/**
 * The plan of `text` for `values`, prepared on a connection of its own, as a
 * generic or a custom plan; `change`, when given, runs first in a transaction
 * that is rolled back (with the test's schema first on the search path).
 */
async function explain(
  text: string,
  values: unknown[],
  mode: 'force_generic_plan' | 'force_custom_plan',
  change?: string,
): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`SET plan_cache_mode = ${mode}`);
    if (change !== undefined) {
      await client.query('BEGIN');
      await client.query(`SET LOCAL search_path = "${schema}"`);
      await client.query(change);
    }
    await client.query(`PREPARE page AS ${text}`);
    const literals = values.map((value) => (typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`));
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE page(${literals.join(', ')})`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
  }
}

async function collect(after?: string, prefix?: string): Promise<string[]> {
  const streams: string[] = [];
  for await (const event of store.feed(after, prefix === undefined ? undefined : { prefix })) streams.push(`${event.stream} ${event.seq}`);
  return streams;
}

describe('the PostgreSQL feed', () => {
  it('reads its caught-up page with a range scan of the (tx, position) index, even with a generic plan', async () => {
    const plan = await explain(sql.page, ['12345', '0', 1000, 4194304], 'force_generic_plan');
    expect(plan).toMatch(/Index Scan using hume_feed_order/);
    expect(plan).toMatch(/Index Cond: \(\(ROW\(tx, "position"\) > ROW\(\$1, \$2\)\)/);
    expect(plan).not.toMatch(/Seq Scan|Sort|Bitmap/);
  });

  it('reads a rare prefix through an index on the stream name and a common one through the feed order, planned for the prefix', async () => {
    const rareValues = ['0', '0', 1000, 4194304, likePrefix('rare-')];
    const rare = await explain(sql.prefixPage, rareValues, 'force_custom_plan');
    // On this "C" database the primary key serves a prefix too; the feed's own index serves it on any collation.
    expect(rare).toMatch(/Index Scan (using|on) (hume_feed_stream|hume_events_pkey)/);
    expect(rare).not.toMatch(/Seq Scan|hume_feed_order/);
    const withoutPrimaryKey = await explain(
      sql.prefixPage,
      rareValues,
      'force_custom_plan',
      'ALTER TABLE hume_events DROP CONSTRAINT hume_events_pkey',
    );
    expect(withoutPrimaryKey).toMatch(/Index Scan (using|on) hume_feed_stream/);
    expect(withoutPrimaryKey).not.toMatch(/Seq Scan|hume_feed_order/);
    const common = await explain(sql.prefixPage, ['0', '0', 1000, 4194304, likePrefix('bulk-')], 'force_custom_plan');
    expect(common).toMatch(/Index Scan (using|on) hume_feed_order/);
    expect(common).not.toMatch(/Seq Scan|hume_feed_stream/);
    expect(await collect(undefined, 'rare-')).toEqual(['rare-1 1', 'rare-2 1', 'rare-3 1']);
  });

  it('escapes LIKE wildcards in a prefix: "a_" is not "ab"', async () => {
    await store.append('wild_card', 1);
    await store.append('wildxcard', 1);
    await store.append('wild%', 1);
    expect(await collect(undefined, 'wild_')).toEqual(['wild_card 1']);
    expect(await collect(undefined, 'wild%')).toEqual(['wild% 1']);
  });

  it('holds events committed after a transaction that is still open, and yields them once it ends; feedLag says so', async () => {
    const open = await openTransaction();
    try {
      await store.append('held-a', 1);
      await store.append('held-b', 1);
      expect(await collect(undefined, 'held-')).toEqual([]);
      const lag = await store.feedLag();
      expect(lag.heldEvents).toBeGreaterThanOrEqual(2);
      expect(lag.oldestTransactionPid).toEqual(expect.any(Number));
      expect(lag.oldestTransactionMs).toBeGreaterThanOrEqual(0);
    } finally {
      await open.end();
    }
    expect(await collect(undefined, 'held-')).toEqual(['held-a 1', 'held-b 1']);
  });

  it('wakes a live feed of another store (another pool) through LISTEN/NOTIFY, and a held live feed once the old transaction ends', async () => {
    const otherPool = newPool({ max: 2 });
    const other = new PostgresEventStore(otherPool, { schema });
    const stop = new AbortController();
    try {
      const seen: string[] = [];
      let caughtUp: () => void = () => {};
      const ready = new Promise<void>((resolve) => (caughtUp = resolve));
      const reading = (async () => {
        for await (const event of other.feed(undefined, {
          prefix: 'live-',
          live: true,
          signal: stop.signal,
          onCaughtUp: () => caughtUp(),
        })) {
          seen.push(`${event.stream} ${event.seq}`);
          if (seen.length === 2) stop.abort();
        }
      })();
      await ready;
      await store.append('live-a', 1);
      const open = await openTransaction();
      await store.append('live-b', 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual(['live-a 1']);
      await open.end(); // a foreign transaction sends no NOTIFY: the held feed looks again on its own
      await reading;
      expect(seen).toEqual(['live-a 1', 'live-b 1']);
    } finally {
      stop.abort();
      await other.close();
      await otherPool.end();
    }
  });

  it('uses one listening connection per store, whatever the number of live feeds, and none once the store is closed', async () => {
    const applicationName = `hume-feed-listen-${process.pid}`;
    const ownPool = newPool({ max: 2, application_name: applicationName });
    const own = new PostgresEventStore(ownPool, { schema });
    const stops = Array.from({ length: 10 }, () => new AbortController());
    const feeds = stops.map((stop) => own.feed(undefined, { prefix: 'nobody-', live: true, signal: stop.signal })[Symbol.asyncIterator]());
    const pending = feeds.map((feed) => feed.next());
    await new Promise((resolve) => setTimeout(resolve, 300));
    const listeners = async (): Promise<number> => {
      const rows = await admin<{ n: string }>(
        `SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN %'`,
        [applicationName],
      );
      return Number(rows[0]?.n);
    };
    expect(await listeners()).toBe(1);
    for (const stop of stops) stop.abort();
    expect((await Promise.all(pending)).every((result) => result.done)).toBe(true);
    await own.close();
    await ownPool.end();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await listeners()).toBe(0);
  });
});
