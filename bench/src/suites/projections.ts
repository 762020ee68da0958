import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, FeedEvent } from '@hume/core';
import { MemoryEventStore } from '@hume/memory';
import { aggregate, consume, handle, type Projection, sqliteTransactions } from '@hume/projections';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import type { Contender, Scenario, Suite } from '../scenario.js';
import { fillStream } from '../sqlite-raw.js';

type Deposit = { type: 'deposited'; amount: number };
const balance: Projection<{ balance: number; count: number }, Deposit> = {
  name: 'balance',
  version: 1,
  initialState: { balance: 0, count: 0 },
  evolve: (state, { payload }) => ({ balance: state.balance + payload.amount, count: state.count + 1 }),
};
const CALLERS = 8;

let dir = '';

/**
 * @hume/projections against the code it replaces, interleaved: aggregation
 * from a snapshot on a short and a very long stream (its cost must not grow
 * with the stream), handle against hand-written load + decide + appendMany
 * with expect, and a consumer writing a read-model row per event against
 * raw better-sqlite3 doing the same reads and writes with a checkpoint per
 * 1,000 events.
 */
const suite: Suite = {
  name: 'projections',
  async scenarios({ smoke }) {
    dir = mkdtempSync(join(tmpdir(), 'hume-bench-projections-'));
    return [
      await snapshotScenario(smoke),
      handleScenario('SQLite', (name) => new SqliteEventStore<Deposit>(join(dir, `${name}.db`), { durability: 'normal' }), smoke),
      handleScenario('memory', () => new MemoryEventStore<Deposit>(), smoke),
      consumerScenario(smoke),
    ];
  },
  async close() {
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};

/** One SQLite file per length, a snapshot 10 events from the end of each stream. */
async function snapshotScenario(smoke: boolean): Promise<Scenario> {
  const lengths = smoke ? [1_000, 10_000] : [1_000, 1_000_000];
  const label = (length: number): string => `aggregate, ${length.toLocaleString('en')}-event stream`;
  const contenders = lengths.map((length): Contender => {
    const file = join(dir, `snapshot-${length}.db`);
    let store: SqliteEventStore<{ amount: number; type: 'deposited' }> | undefined;
    return {
      name: label(length),
      async setup() {
        await new SqliteEventStore(file).close();
        const db = new Database(file);
        fillStream(db, 'account', length, { type: 'deposited', amount: 1 });
        db.close();
        store = new SqliteEventStore(file);
        const at = length - 10;
        await store.saveSnapshot('account', 'balance', { version: 1, seq: at, state: { balance: at, count: at } });
      },
      async run(ops) {
        for (let i = 0; i < ops; i++) {
          const { seq } = await aggregate(store as SqliteEventStore<Deposit>, 'account', balance, { snapshots: { everyEvents: 1_000 } });
          if (seq !== length) throw new Error(`aggregate ended at ${seq}, not ${length}`);
        }
      },
      async teardown() {
        await store?.close();
      },
    };
  });
  return {
    name: 'projections: aggregate from a snapshot 10 events from the end, SQLite',
    unit: 'aggregate',
    ops: smoke ? 20 : 2_000,
    rounds: smoke ? 1 : 7,
    contenders,
    targets: [{ numerator: label(lengths[1] as number), denominator: label(lengths[0] as number), min: 1 / 1.2 }],
  };
}

/** 8 callers, each on a stream of its own (fresh ones every round), deciding one deposit per command. */
function handleScenario(backend: string, open: (name: string) => EventStore<Deposit>, smoke: boolean): Scenario {
  const decide = (state: { balance: number }): Deposit[] => [{ type: 'deposited', amount: state.balance % 7 }];
  let round = 0;
  const contender = (name: string, command: (store: EventStore<Deposit>, stream: string) => Promise<void>): Contender => {
    let store: EventStore<Deposit> | undefined;
    return {
      name,
      async setup() {
        store = open(name.replace(/\W+/g, '-'));
      },
      async run(ops) {
        const prefix = `${name}-${++round}`;
        await Promise.all(
          Array.from({ length: CALLERS }, async (_, caller) => {
            for (let i = 0; i < ops / CALLERS; i++) await command(store as EventStore<Deposit>, `${prefix}-${caller}`);
          }),
        );
      },
      async teardown() {
        await store?.close?.();
      },
    };
  };
  const hand = 'hand-written load + decide + appendMany';
  const ours = '@hume/projections handle';
  return {
    name: `projections: handle, ${CALLERS} callers on ${CALLERS} streams, ${backend}`,
    unit: 'command',
    ops: smoke ? 80 : 4_000,
    rounds: smoke ? 1 : 7,
    contenders: [
      contender(hand, async (store, stream) => {
        for (;;) {
          let state = balance.initialState;
          let seq = 0;
          for await (const event of store.events(stream)) {
            state = balance.evolve(state, event);
            seq = event.seq;
          }
          const result = await (store.appendMany as NonNullable<typeof store.appendMany>).call(store, stream, decide(state), seq);
          if (result.ok) return;
          if (result.error.code !== 'UNEXPECTED_SEQ') throw result.error;
        }
      }),
      contender(ours, async (store, stream) => {
        const result = await handle(store, stream, balance, decide);
        if (!result.ok) throw result.error;
      }),
    ],
    targets: [{ numerator: ours, denominator: hand, min: 0.9 }],
  };
}

/** A history of events on 100 streams; each round consumes all of it from the start into a fresh read model. */
function consumerScenario(smoke: boolean): Scenario {
  const events = smoke ? 2_000 : 100_000;
  const file = join(dir, 'consumer.db');
  let round = 0;
  const raw = 'raw better-sqlite3, pages of 1,000, checkpoint per 1,000';
  const ours = '@hume/projections consume + sqliteTransactions, batches of 1,000';
  let rawDb: Database.Database | undefined;
  let humeDb: Database.Database | undefined;
  let store: SqliteEventStore<Deposit> | undefined;
  return {
    name: 'projections: consumer catch-up writing a read-model row per event, SQLite',
    unit: 'event',
    ops: events,
    rounds: smoke ? 1 : 5,
    contenders: [
      {
        name: raw,
        async setup() {
          await new SqliteEventStore(file).close();
          const filler = new Database(file);
          const insert = filler.prepare('INSERT INTO hume_events (stream, seq, position, payload) VALUES (?, ?, ?, ?)');
          filler.transaction(() => {
            for (let i = 0; i < events; i++)
              insert.run(`acc-${i % 100}`, Math.floor(i / 100) + 1, i + 1, JSON.stringify({ type: 'deposited', amount: i }));
          })();
          filler.close();
          rawDb = new Database(file);
          rawDb.pragma('journal_mode = WAL');
          rawDb.pragma('synchronous = FULL');
          rawDb.exec(
            'CREATE TABLE IF NOT EXISTS raw_model (stream TEXT, seq INTEGER, amount INTEGER); CREATE TABLE IF NOT EXISTS raw_checkpoints (name TEXT PRIMARY KEY, position INTEGER)',
          );
        },
        async run() {
          const db = rawDb as Database.Database;
          const name = `raw-${++round}`;
          const page = db
            .prepare('SELECT stream, seq, payload, position FROM hume_events WHERE position > ? ORDER BY position LIMIT 1000')
            .raw(true);
          const insert = db.prepare('INSERT INTO raw_model (stream, seq, amount) VALUES (?, ?, ?)');
          const checkpoint = db.prepare(
            'INSERT INTO raw_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
          );
          let after = 0;
          for (;;) {
            const rows = page.all(after) as [string, number, string, number][];
            if (rows.length === 0) break;
            db.exec('BEGIN IMMEDIATE');
            for (const [stream, seq, payload] of rows) insert.run(stream, seq, (JSON.parse(payload) as Deposit).amount);
            after = (rows.at(-1) as [string, number, string, number])[3];
            checkpoint.run(name, after);
            db.exec('COMMIT');
            await Promise.resolve();
          }
        },
        async teardown() {
          rawDb?.close();
        },
      },
      {
        name: ours,
        async setup() {
          humeDb = new Database(file);
          store = new SqliteEventStore<Deposit>(humeDb);
          humeDb.exec('CREATE TABLE IF NOT EXISTS hume_model (stream TEXT, seq INTEGER, amount INTEGER)');
        },
        async run() {
          const db = humeDb as Database.Database;
          const insert = db.prepare('INSERT INTO hume_model (stream, seq, amount) VALUES (?, ?, ?)');
          const { applied } = await consume(store as SqliteEventStore<Deposit>, {
            name: `hume-${++round}`,
            live: false,
            batchSize: 1_000,
            checkpoints: sqliteTransactions(db, store as SqliteEventStore<Deposit>),
            handler: (batch: readonly FeedEvent<Deposit>[]) => {
              for (const { stream, seq, payload } of batch) insert.run(stream, seq, payload.amount);
            },
          }).done;
          // Every round (the warm-up too) consumes the whole history: ops is its size.
          if (applied !== events) throw new Error(`the consumer applied ${applied} events, not ${events}`);
        },
        async teardown() {
          await store?.close();
          humeDb?.close();
        },
      },
    ],
    targets: [{ numerator: ours, denominator: raw, min: 0.8 }],
  };
}

export default suite;
