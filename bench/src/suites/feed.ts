import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore } from '@hume/postgres';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { groupLimits } from '../../../packages/postgres/dist/postgres-append-many.js';
import { commitUnitsWith } from '../../../packages/postgres/dist/postgres-commit-units.js';
import { FeedChannel } from '../../../packages/postgres/dist/postgres-feed-channel.js';
import { GroupCommit } from '../../../packages/postgres/dist/postgres-group-commit.js';
import { resolveOptions } from '../../../packages/postgres/dist/postgres-options.js';
import { statementsFor } from '../../../packages/postgres/dist/postgres-statements.js';
import { type PostgresServer, startPostgres } from '../../../packages/postgres/scripts/postgres-server.mjs';
import { emmettFeedPages, fillEmmettFeed } from '../emmett-feed.js';
import { type FloorEvent, feedFloor, ZEROS } from '../feed-floor.js';
import { type FeedStore, type LiveReader, liveLatency, readerInChildProcess, readerOnStore } from '../feed-latency.js';
import { freshStream, lanes, payload } from '../lanes.js';
import { installMessageDb, messageDbConnection } from '../message-db.js';
import type { Contender, Scenario, Suite } from '../scenario.js';
import { setPragmas } from '../sqlite-raw.js';

const STREAMS = 1_000;
const LANES = 8;
const PAGE = 1_000;
const PG_FLOOR = 'raw pg pages as feed events, one await each (the API floor)';
const SQLITE_FLOOR = 'raw better-sqlite3 pages as feed events, one await each (the API floor)';
const EMMETT_FEED = "emmett-postgresql readMessagesBatch pages (its consumer's read)";
/** Emmett's streams in the catch-up beside it, and how many fewer events it reads than the main catch-up. */
const EMMETT_STREAMS = 100;
const EMMETT_SHARE = 10;

let server: PostgresServer | undefined;
let databaseUrl = '';
let schema = '';
let dir = '';
const pools: pg.Pool[] = [];
const closers: (() => Promise<void> | void)[] = [];

function newPool(max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 0 });
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
}

const asText = { getTypeParser: () => (text: string) => text } as never;

/** A contender reading a store's whole feed, which must hold at least `events` events. */
function wholeFeed(name: string, store: { feed(): AsyncIterable<{ payload: unknown }> }, events: number): Contender {
  return {
    name,
    async run() {
      let read = 0;
      for await (const event of store.feed()) if (event.payload !== null) read++;
      if (read < events) throw new Error(`feed() read ${read} of ${events} events`);
    },
  };
}

/**
 * The global feed (issue 13): catch-up over the whole feed against the raw
 * driver's keyset pages over the same index (and the same pages handed out
 * as feed events, the floor of the API's shape), live delivery latency with 8
 * writers, and, on PostgreSQL, what the notification costs appends. The
 * feed holds 1,000,000 events in 1,000 streams (times --scale; 2,000 with
 * --smoke), written in transactions of 1,000 events each.
 */
const suite: Suite = {
  name: 'feed',
  async scenarios({ smoke, scale = 1 }) {
    const events = smoke ? 2_000 : Math.max(STREAMS, Math.round(1_000_000 * scale));
    const scenarios: Scenario[] = [...(await postgresScenarios(events, smoke)), ...(await sqliteScenarios(events, smoke))];
    return scenarios;
  },
  async close() {
    try {
      for (const close of closers.splice(0).reverse()) await close();
      if (!server && schema) await pools[0]?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await Promise.all(pools.splice(0).map((pool) => pool.end()));
    } finally {
      await server?.stop();
      server = undefined;
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Writes `events` events of `json` into a Hume events table, in `streams`
 * streams (f-000, f-001, …), in transactions of 1,000 events each, as
 * appends leave them (each a real transaction id below the horizon); then
 * VACUUM ANALYZE. Setup, not measured.
 */
async function fillHumeFeed(admin: pg.Pool, table: string, events: number, streams: number, json: string): Promise<void> {
  for (let from = 0; from < events; from += 1_000) {
    await admin.query(
      `INSERT INTO ${table} (stream, seq, payload) SELECT 'f-' || lpad((n % ${streams})::text, 3, '0'), n / ${streams} + 1, $1::json
       FROM generate_series($2::bigint, $3::bigint) AS n`,
      [json, from, Math.min(events, from + 1_000) - 1],
    );
  }
  await admin.query(`VACUUM ANALYZE ${table}`);
}

async function postgresScenarios(events: number, smoke: boolean): Promise<Scenario[]> {
  if (process.env.DATABASE_URL) {
    databaseUrl = process.env.DATABASE_URL;
  } else {
    server = await startPostgres({});
    databaseUrl = server.url;
  }
  schema = `hume_bench_feed_${randomBytes(4).toString('hex')}`;
  const admin = newPool(2);
  await new PostgresEventStore(admin, { schema }).migrate();
  const table = `"${schema}".hume_events`;
  const json = JSON.stringify(payload);
  await fillHumeFeed(admin, table, events, STREAMS, json);
  // Message DB's nearest thing to a feed is a category read: the same events in streams of one category.
  const messageDbVersion = await installMessageDb(databaseUrl);
  for (let from = 0; from < events; from += 1_000) {
    await admin.query(
      `INSERT INTO message_store.messages (stream_name, type, position, data)
       SELECT 'f-' || lpad((n % ${STREAMS})::text, 3, '0'), 'ItemAdded', n / ${STREAMS}, $1::jsonb FROM generate_series($2::bigint, $3::bigint) AS n`,
      [json, from, Math.min(events, from + 1_000) - 1],
    );
  }
  await admin.query('VACUUM ANALYZE message_store.messages');
  const notes = {
    pgEvents: events,
    pgStreams: STREAMS,
    server: server ? 'embedded, default (durable) settings' : 'DATABASE_URL',
    messageDb: `${messageDbVersion}: get_category_messages('f', position, ${PAGE}) over the same events in streams f-000 … of category f`,
  };
  const messageDbPool = new pg.Pool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 0, ...messageDbConnection });
  messageDbPool.on('error', () => undefined);
  pools.push(messageDbPool);
  const categoryPage = {
    name: 'bench-feed-message-db-category',
    text: `SELECT global_position::text, data FROM message_store.get_category_messages('f', $1::bigint, ${PAGE})`,
  };

  const readStore = new PostgresEventStore(newPool(1), { schema, readPageSize: PAGE });
  const rawPool = newPool(1);
  const rawPage = {
    name: 'bench-feed-raw-page',
    text: `SELECT tx::text AS t, position::text AS p, stream, seq::text AS s, payload FROM ${table}
      WHERE (tx, position) > ($1::xid8, $2::bigint) AND tx < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY tx, position LIMIT ${PAGE}`,
  };
  const catchUp: Scenario = {
    name: `postgres feed: catch-up over ${events.toLocaleString('en-US')} events in ${STREAMS} streams`,
    unit: 'event read',
    ops: events,
    rounds: smoke ? 1 : 6,
    contenders: [
      wholeFeed('@hume/postgres feed()', readStore, events),
      {
        name: 'raw pg keyset pages on (tx, position)',
        async run() {
          let read = 0;
          for (let tx = '0', position = '0'; ; ) {
            const { rows } = await rawPool.query<string[]>({ ...rawPage, values: [tx, position], rowMode: 'array', types: asText });
            for (const row of rows) {
              if (JSON.parse(row[4] as string) !== null) read++;
              tx = row[0] as string;
              position = row[1] as string;
            }
            if (rows.length < PAGE) break;
          }
          if (read < events) throw new Error(`raw pages read ${read} of ${events} events`);
        },
      },
      {
        // The same pages made the events feed() yields, one await each: what the contract's shape costs.
        name: PG_FLOOR,
        async run() {
          let read = 0;
          let tx = '0';
          let position = '0';
          const nextPage = async (): Promise<FloorEvent[]> => {
            const { rows } = await rawPool.query<string[]>({ ...rawPage, values: [tx, position], rowMode: 'array', types: asText });
            const events: FloorEvent[] = [];
            for (const row of rows) {
              tx = row[0] as string;
              position = row[1] as string;
              events.push({
                position: `${ZEROS[20 - tx.length]}${tx}-${ZEROS[19 - position.length]}${position}`,
                stream: row[2] as string,
                seq: Number(row[3]),
                payload: JSON.parse(row[4] as string),
              });
            }
            return events;
          };
          for await (const event of feedFloor(nextPage, PAGE)) if (event.payload !== null) read++;
          if (read < events) throw new Error(`raw pages as feed events read ${read} of ${events} events`);
        },
      },
      {
        // Positions from a sequence, read as they are: the way a reader can skip an event committed late (issue 13).
        name: 'Message DB get_category_messages pages',
        async run() {
          let read = 0;
          for (let position = '1'; ; ) {
            const { rows } = await messageDbPool.query<string[]>({ ...categoryPage, values: [position], rowMode: 'array', types: asText });
            for (const row of rows) {
              if (JSON.parse(row[1] as string) !== null) read++;
              position = String(BigInt(row[0] as string) + 1n);
            }
            if (rows.length < PAGE) break;
          }
          if (read < events) throw new Error(`get_category_messages read ${read} of ${events} messages`);
        },
      },
    ],
    targets: [
      { numerator: '@hume/postgres feed()', denominator: 'raw pg keyset pages on (tx, position)', min: 0.9 },
      { numerator: '@hume/postgres feed()', denominator: 'Message DB get_category_messages pages' },
      { numerator: PG_FLOOR, denominator: 'raw pg keyset pages on (tx, position)' },
      { numerator: '@hume/postgres feed()', denominator: PG_FLOOR },
    ],
    notes: () => notes,
  };

  // Emmett beside the feed: its consumer's batch query sorts all its messages by (transaction_id,
  // global_position), which no index of its table holds, so each batch scans them all: a tenth of the events.
  const emmettEvents = Math.max(EMMETT_STREAMS, Math.round(events / EMMETT_SHARE));
  await fillEmmettFeed(databaseUrl, emmettEvents, EMMETT_STREAMS, payload);
  const smallSchema = `${schema}_beside_emmett`;
  await new PostgresEventStore(admin, { schema: smallSchema }).migrate();
  await fillHumeFeed(admin, `"${smallSchema}".hume_events`, emmettEvents, EMMETT_STREAMS, json);
  const smallStore = new PostgresEventStore(newPool(1), { schema: smallSchema, readPageSize: PAGE });
  const besideEmmett: Scenario = {
    name: `postgres feed: catch-up over ${emmettEvents.toLocaleString('en-US')} events in ${EMMETT_STREAMS} streams, beside Emmett's consumer read`,
    unit: 'event read',
    ops: emmettEvents,
    rounds: smoke ? 1 : 3,
    contenders: [
      wholeFeed('@hume/postgres feed()', smallStore, emmettEvents),
      emmettFeedPages(EMMETT_FEED, newPool(1), emmettEvents, PAGE),
    ],
    targets: [{ numerator: '@hume/postgres feed()', denominator: EMMETT_FEED }],
    notes: () => ({
      emmett: `readMessagesBatch of emmett-postgresql, ${PAGE} messages a batch after the last global position, as its consumer's puller reads them; the consumer also stores a checkpoint after each message (one statement per message), which this leaves out, as Hume's feed leaves checkpoints to its caller`,
    }),
  };

  /** The feed's end, as a position, for live readers that start there. */
  const end = async (): Promise<string | undefined> => {
    const { rows } = await admin.query<{ t: string; p: string }>(
      `SELECT tx::text AS t, position::text AS p FROM ${table} ORDER BY tx DESC, position DESC LIMIT 1`,
    );
    const row = rows[0];
    return row ? `${row.t.padStart(20, '0')}-${row.p.padStart(19, '0')}` : undefined;
  };
  /** A live row: appends through a store of 8 connections, read by that store, another store of this process, or a store in a process of its own. */
  const pgLive = (name: string, reader: 'same store' | 'other store' | 'other process', label: string): Contender =>
    liveLatency(
      name,
      async () => {
        const writer = new PostgresEventStore(newPool(LANES), { schema });
        const other = reader === 'other store' ? new PostgresEventStore(newPool(2), { schema }) : undefined;
        const live: LiveReader =
          reader === 'other process'
            ? readerInChildProcess(['postgres', databaseUrl, schema])
            : readerOnStore((other ?? writer) as unknown as FeedStore);
        return {
          writer: writer as unknown as FeedStore,
          reader: live,
          after: await end(),
          close: async () => {
            await writer.close();
            await other?.close();
          },
        };
      },
      LANES,
      label,
    );
  const live: Scenario = {
    name: `postgres feed: live delivery, ${LANES} writers appending (latency from acknowledgement to the reader in the notes)`,
    unit: 'append',
    ops: smoke ? 40 : 2_000,
    rounds: smoke ? 1 : 3,
    contenders: [
      pgLive('reader in another process (LISTEN/NOTIFY)', 'other process', 'pg-live-process'),
      pgLive('reader on another store of this process (LISTEN/NOTIFY)', 'other store', 'pg-live-other'),
      pgLive('reader on the writing store (woken in process)', 'same store', 'pg-live-same'),
    ],
  };

  // What the notification costs appends: the store's path (group commit, then one coalesced NOTIFY
  // on a connection of its own) against the same group commit without it, and a NOTIFY inside each
  // append's transaction (what the issue warns about) against the same transaction without it.
  const sql = statementsFor(resolveOptions({ schema }));
  const channelName = `hume_bench_${randomBytes(4).toString('hex')}`;
  const listener = new pg.Client({ connectionString: databaseUrl });
  await listener.connect();
  await listener.query(`LISTEN ${channelName}`);
  listener.on('notification', () => undefined);
  closers.push(() => listener.end());
  const groupAppends = (name: string, notify: boolean): Contender => {
    const pool = newPool(LANES);
    const run = (_operation: string, statement: { name: string; text: string }, values: unknown[]) =>
      pool.query<(string | null)[]>({ ...statement, values, rowMode: 'array', types: asText });
    const group = new GroupCommit(commitUnitsWith(run, sql), groupLimits);
    const channel = notify ? new FeedChannel({ connectionString: databaseUrl }, channelName, { heard() {}, lost() {} }) : undefined;
    if (channel) closers.push(() => channel.close());
    return {
      name,
      async run(ops) {
        await lanes(ops, LANES, async (_, count) => {
          const stream = freshStream('notify');
          for (let i = 0; i < count; i++) {
            await group.submit({ stream, payloads: [json], expect: undefined });
            channel?.notify();
          }
        });
      },
    };
  };
  const transactionAppends = (name: string, notify: boolean): Contender => {
    const pool = newPool(LANES);
    return {
      name,
      async run(ops) {
        await lanes(ops, LANES, async (_, count) => {
          const stream = freshStream('tx-notify');
          const client = await pool.connect();
          try {
            for (let i = 0; i < count; i++) {
              await client.query('BEGIN');
              await client.query({ name: sql.appendOne.name, text: sql.appendOne.text, values: [stream, json] });
              if (notify) await client.query(`NOTIFY ${channelName}`);
              await client.query('COMMIT');
            }
          } finally {
            client.release();
          }
        });
      },
    };
  };
  const notifyCost: Scenario = {
    name: `postgres feed: append cost of the notification, ${LANES} callers on ${LANES} streams`,
    unit: 'append',
    ops: smoke ? 40 : 3_000,
    rounds: smoke ? 1 : 5,
    contenders: [
      groupAppends('group commit + coalesced NOTIFY after commit (the store)', true),
      groupAppends('group commit, no NOTIFY', false),
      transactionAppends('NOTIFY inside each append transaction', true),
      transactionAppends('the same transactions without NOTIFY', false),
    ],
    targets: [
      { numerator: 'group commit + coalesced NOTIFY after commit (the store)', denominator: 'group commit, no NOTIFY' },
      { numerator: 'NOTIFY inside each append transaction', denominator: 'the same transactions without NOTIFY' },
      { numerator: 'group commit + coalesced NOTIFY after commit (the store)', denominator: 'NOTIFY inside each append transaction' },
    ],
  };
  return [catchUp, besideEmmett, live, notifyCost];
}

async function sqliteScenarios(events: number, smoke: boolean): Promise<Scenario[]> {
  dir = mkdtempSync(join(tmpdir(), 'hume-bench-feed-'));
  const file = join(dir, 'feed.db');
  // The adapter's schema first (it creates the table and the position index), then the fill.
  await new SqliteEventStore(file).close();
  const db = new Database(file);
  setPragmas(db, 'FULL');
  const insert = db.prepare('INSERT INTO hume_events (stream, seq, position, payload) VALUES (?, ?, ?, ?)');
  const json = JSON.stringify(payload);
  db.transaction(() => {
    for (let n = 0; n < events; n++) insert.run(`f-${String(n % STREAMS).padStart(3, '0')}`, Math.floor(n / STREAMS) + 1, n + 1, json);
  })();
  db.exec('ANALYZE');
  closers.push(() => {
    db.close();
  });
  const readStore = new SqliteEventStore(file, { pageSize: PAGE });
  closers.push(() => readStore.close());
  // A connection of its own, as the store has: the one that wrote the fill read it measurably slower (2-6 %).
  const rawReader = new Database(file, { readonly: true });
  closers.push(() => {
    rawReader.close();
  });
  const rawPage = rawReader
    .prepare(`SELECT position, stream, seq, payload FROM hume_events WHERE position > ? ORDER BY position LIMIT ${PAGE}`)
    .raw(true);
  const catchUp: Scenario = {
    name: `sqlite feed: catch-up over ${events.toLocaleString('en-US')} events in ${STREAMS} streams`,
    unit: 'event read',
    ops: events,
    rounds: smoke ? 1 : 3,
    contenders: [
      wholeFeed('@hume/sqlite feed()', readStore, events),
      {
        name: 'raw better-sqlite3 keyset pages on position',
        async run() {
          let read = 0;
          for (let after = 0; ; ) {
            const rows = rawPage.all(after) as [number, string, number, string][];
            for (const row of rows) {
              if (JSON.parse(row[3]) !== null) read++;
              after = row[0];
            }
            if (rows.length < PAGE) break;
          }
          if (read < events) throw new Error(`raw pages read ${read} of ${events} events`);
        },
      },
      {
        // The same pages made the events feed() yields, one await each: what the contract's shape costs.
        name: SQLITE_FLOOR,
        async run() {
          let read = 0;
          let after = 0;
          const nextPage = (): FloorEvent[] => {
            const rows = rawPage.all(after) as [number, string, number, string][];
            const events: FloorEvent[] = [];
            for (const row of rows) {
              after = row[0];
              const digits = String(after);
              events.push({ position: `${ZEROS[19 - digits.length]}${digits}`, stream: row[1], seq: row[2], payload: JSON.parse(row[3]) });
            }
            return events;
          };
          for await (const event of feedFloor(nextPage, PAGE)) if (event.payload !== null) read++;
          if (read < events) throw new Error(`raw pages as feed events read ${read} of ${events} events`);
        },
      },
    ],
    targets: [
      { numerator: '@hume/sqlite feed()', denominator: 'raw better-sqlite3 keyset pages on position', min: 0.9 },
      { numerator: SQLITE_FLOOR, denominator: 'raw better-sqlite3 keyset pages on position' },
      { numerator: '@hume/sqlite feed()', denominator: SQLITE_FLOOR },
    ],
  };
  const end = (): string => String(events).padStart(19, '0');
  /** A live row: appends through one store, read by that store or by a store in a process of its own. */
  const sqliteLive = (name: string, sameStore: boolean, label: string): Contender =>
    liveLatency(
      name,
      async () => {
        const writer = new SqliteEventStore(file);
        const positionWidth = (await firstPosition(writer))?.length ?? 19;
        return {
          writer: writer as unknown as FeedStore,
          reader: sameStore ? readerOnStore(writer as unknown as FeedStore) : readerInChildProcess(['sqlite', file]),
          after: end().padStart(positionWidth, '0'),
          close: () => writer.close(),
        };
      },
      LANES,
      label,
    );
  const live: Scenario = {
    name: `sqlite feed: live delivery, ${LANES} writers appending (latency from acknowledgement to the reader in the notes)`,
    unit: 'append',
    ops: smoke ? 40 : 400,
    rounds: smoke ? 1 : 3,
    contenders: [
      sqliteLive('reader in another process (PRAGMA data_version)', false, 'sqlite-live-process'),
      sqliteLive('reader on the writing store (woken in process)', true, 'sqlite-live-same'),
    ],
  };
  return [catchUp, live];
}

/** The width of the store's positions, from its first event. */
async function firstPosition(store: SqliteEventStore): Promise<string | undefined> {
  for await (const event of store.feed()) return event.position;
  return undefined;
}

export default suite;
