import { randomBytes } from 'node:crypto';
import type { FeedEvent } from '@hume/core';
import { PostgresEventStore } from '@hume/postgres';
import { consume, postgresTransactions } from '@hume/projections';
import pg from 'pg';
import { type PostgresServer, startPostgres } from '../../../packages/postgres/scripts/postgres-server.mjs';
import type { Scenario, Suite } from '../scenario.js';

type Deposit = { type: 'deposited'; amount: number };

let server: PostgresServer | undefined;
let databaseUrl = '';
let schema = '';
const pools: pg.Pool[] = [];

function newPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
}

/**
 * A consumer catching up over a long history on PostgreSQL, writing a
 * read-model row per event in the same database and committing each batch
 * of 1,000 with its checkpoint (postgresTransactions), against raw `pg`
 * doing the same reads (keyset pages of the feed's `(tx, position)` order)
 * and writes (one INSERT of the page's rows, the checkpoint, one commit per
 * 1,000). Opt-in (`--only projections-postgres`): a round is the whole
 * history. Uses DATABASE_URL when set, else the embedded server with its
 * default (durable) settings.
 */
const suite: Suite = {
  name: 'projections-postgres',
  optIn: true,
  async scenarios({ smoke }) {
    if (process.env.DATABASE_URL) databaseUrl = process.env.DATABASE_URL;
    else {
      server = await startPostgres({});
      databaseUrl = server.url;
    }
    schema = `hume_bench_proj_${randomBytes(4).toString('hex')}`;
    const events = smoke ? 2_000 : Number(process.env.HUME_BENCH_CONSUMER_EVENTS ?? 1_000_000);
    const admin = newPool();
    await new PostgresEventStore(admin, { schema }).migrate();
    await admin.query(
      `INSERT INTO "${schema}".hume_events (stream, seq, payload) SELECT 'acc-' || (g % 100), g / 100 + 1, json_build_object('type', 'deposited', 'amount', g) FROM generate_series(0, ${events - 1}) g ORDER BY g`,
    );
    await admin.query(
      `INSERT INTO "${schema}".hume_streams (stream, seq) SELECT 'acc-' || s, ${events / 100} FROM generate_series(0, 99) s`,
    );
    await admin.query(`CREATE TABLE "${schema}".raw_model (stream text, seq bigint, amount bigint)`);
    await admin.query(`CREATE TABLE "${schema}".hume_model (stream text, seq bigint, amount bigint)`);
    await admin.query(`CREATE TABLE "${schema}".raw_checkpoints (name text PRIMARY KEY, tx xid8, position bigint)`);
    await admin.query(`VACUUM ANALYZE "${schema}".hume_events`);
    return [consumerScenario(events, smoke)];
  },
  async close() {
    if (!server && schema) await pools[0]?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    for (const pool of pools.splice(0)) await pool.end();
    await server?.stop();
  },
};

function consumerScenario(events: number, smoke: boolean): Scenario {
  const raw = 'raw pg, pages of 1,000, one INSERT and a checkpoint per 1,000';
  const ours = '@hume/projections consume + postgresTransactions, batches of 1,000';
  let round = 0;
  let store: PostgresEventStore<Deposit> | undefined;
  let pool: pg.Pool | undefined;
  return {
    name: `projections: consumer catch-up writing a read-model row per event, PostgreSQL`,
    unit: 'event',
    ops: events,
    rounds: smoke ? 1 : 3,
    contenders: [
      {
        name: raw,
        async setup() {
          pool = newPool();
        },
        async run() {
          const name = `raw-${++round}`;
          const client = await (pool as pg.Pool).connect();
          try {
            let tx = '0';
            let position = '0';
            let applied = 0;
            for (;;) {
              // The feed's order and guard: (tx, position) keyset, below the oldest running transaction.
              // Output columns named apart from the table's: ORDER BY position would sort the text column.
              const { rows } = await client.query<{ t: string; p: string; stream: string; seq: string; payload: string }>({
                text: `SELECT tx::text AS t, position::text AS p, stream, seq::text, payload::text FROM "${schema}".hume_events
                       WHERE (tx, position) > ($1::xid8, $2::bigint) AND tx < pg_snapshot_xmin(pg_current_snapshot())
                       ORDER BY tx, position LIMIT 1000`,
                values: [tx, position],
              });
              if (rows.length === 0) break;
              const streams: string[] = [];
              const seqs: string[] = [];
              const amounts: number[] = [];
              for (const row of rows) {
                streams.push(row.stream);
                seqs.push(row.seq);
                amounts.push((JSON.parse(row.payload) as Deposit).amount);
              }
              const last = rows.at(-1) as { t: string; p: string };
              await client.query('BEGIN');
              await client.query(
                `INSERT INTO "${schema}".raw_model (stream, seq, amount) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])`,
                [streams, seqs, amounts],
              );
              await client.query(
                `INSERT INTO "${schema}".raw_checkpoints (name, tx, position) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET tx = excluded.tx, position = excluded.position`,
                [name, last.t, last.p],
              );
              await client.query('COMMIT');
              tx = last.t;
              position = last.p;
              applied += rows.length;
            }
            if (applied !== events) throw new Error(`raw read ${applied} events, not ${events}`);
          } finally {
            client.release();
          }
        },
      },
      {
        name: ours,
        async setup() {
          store = new PostgresEventStore<Deposit>(databaseUrl, { schema });
          pool ??= newPool();
        },
        async run() {
          const { applied } = await consume(store as PostgresEventStore<Deposit>, {
            name: `hume-${++round}`,
            live: false,
            batchSize: 1_000,
            checkpoints: postgresTransactions(pool as pg.Pool, { schema }),
            handler: async (batch: readonly FeedEvent<Deposit>[], { transaction }) => {
              await transaction.query(
                `INSERT INTO "${schema}".hume_model (stream, seq, amount) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])`,
                [batch.map((event) => event.stream), batch.map((event) => event.seq), batch.map((event) => event.payload.amount)],
              );
            },
          }).done;
          if (applied !== events) throw new Error(`the consumer applied ${applied} events, not ${events}`);
        },
        async teardown() {
          await store?.close();
        },
      },
    ],
    targets: [{ numerator: ours, denominator: raw, min: 0.8 }],
  };
}

export default suite;
