import { join } from 'node:path';
import type { EventStore, SnapshotStorage } from '@hume/core';
import { PostgresEventStore } from '@hume/postgres';
import { aggregate, handle, type Projection, replay } from '@hume/projections';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type AccountEvent, type Balance, balance, deposit } from './account.js';
import { countingStore } from './counting-store.js';
import { memoryKind, postgresKind, sqliteKind, tempDir } from './stores.js';

type Store = EventStore<AccountEvent> & SnapshotStorage;
const dir = tempDir();
const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close?.();
});

async function fill(store: Store, stream: string, from: number, to: number): Promise<void> {
  const events = [];
  for (let i = from; i <= to; i++) events.push(deposit(`d${i}`, i));
  await store.appendMany?.(stream, events);
}

const fullState = (to: number): Balance => ({ balance: (to * (to + 1)) / 2, ids: Array.from({ length: to }, (_, i) => `d${i + 1}`) });

describe.each([memoryKind, sqliteKind(dir), postgresKind()])('snapshots on a $name store', (kind) => {
  const open = async (): Promise<Store> => {
    const { store } = await kind.open<AccountEvent>();
    opened.push(store as Store);
    return store as Store;
  };

  it('are saved every N events and then loading reads only the events after the snapshot', async () => {
    const base = await open();
    const { store, count } = countingStore(base);
    await fill(store, 'acc', 1, 25);
    const first = await aggregate(store, 'acc', balance, { snapshots: { everyEvents: 10 } });
    expect(first).toEqual({ state: fullState(25), seq: 25, from: 0, saved: 25 });
    expect(await base.loadSnapshot('acc', 'balance')).toEqual({ version: 1, seq: 25, state: fullState(25) });
    await fill(store, 'acc', 26, 28);
    count.events = 0;
    count.froms.length = 0;
    const second = await aggregate(store, 'acc', balance, { snapshots: { everyEvents: 10 } });
    expect(second).toEqual({ state: fullState(28), seq: 28, from: 25 });
    // From seq 24: the snapshot's own event proves it is in the stream, then the 3 after it.
    expect(count).toEqual({ froms: [24], events: 4 });
  });

  it('everyMs 0 saves whenever an event was folded, and nothing when none was', async () => {
    const store = await open();
    await fill(store, 'acc', 1, 2);
    expect(await aggregate(store, 'acc', balance, { snapshots: { everyMs: 0 } })).toMatchObject({ from: 0, saved: 2 });
    const again = await aggregate(store, 'acc', balance, { snapshots: { everyMs: 0 } });
    expect(again).toEqual({ state: fullState(2), seq: 2, from: 2 });
  });

  it('a snapshot of another version is ignored, and replaced by one of this version', async () => {
    const store = await open();
    await fill(store, 'acc', 1, 12);
    await store.saveSnapshot('acc', 'balance', { version: 0, seq: 12, state: { balance: -1, ids: [] } });
    const doubled: Projection<Balance, AccountEvent> = {
      ...balance,
      version: 2,
      evolve: (state, event) => ({ ...balance.evolve(state, event), balance: state.balance + 2 * event.payload.amount }),
    };
    const result = await aggregate(store, 'acc', doubled, { snapshots: { everyEvents: 10 } });
    expect(result).toMatchObject({ from: 0, seq: 12, saved: 12, state: { balance: 156 } });
    expect(await store.loadSnapshot('acc', 'balance')).toMatchObject({ version: 2, seq: 12 });
  });

  it('a snapshot past the end of the stream (a restored database) falls back to the whole stream', async () => {
    const store = await open();
    await fill(store, 'acc', 1, 5);
    await store.saveSnapshot('acc', 'balance', { version: 1, seq: 100, state: { balance: 999_999, ids: [] } });
    const result = await aggregate(store, 'acc', balance, { snapshots: { everyEvents: 5 } });
    expect(result).toEqual({ state: fullState(5), seq: 5, from: 0, saved: 5 });
  });

  it('a snapshot that cannot be loaded falls back to the whole stream and says why', async () => {
    const base = await open();
    await fill(base, 'acc', 1, 3);
    const failing: Store = { ...countingStore(base).store, loadSnapshot: async () => Promise.reject(new Error('damaged row')) };
    const result = await aggregate(failing, 'acc', balance, { snapshots: { everyEvents: 100 } });
    expect(result).toMatchObject({ state: fullState(3), seq: 3, from: 0, snapshotError: { message: 'damaged row' } });
  });

  it('a state that is not JSON is not snapshotted: the state is right, the refusal is in the result', async () => {
    const store = await open();
    await fill(store, 'acc', 1, 3);
    const withDate: Projection<{ at: Date | null }, AccountEvent> = {
      name: 'dated',
      version: 1,
      initialState: { at: null },
      evolve: () => ({ at: new Date(0) }),
    };
    const result = await aggregate(store, 'acc', withDate, { snapshots: { everyEvents: 1 } });
    expect(result.state).toEqual({ at: new Date(0) });
    expect(result.snapshotError).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await store.loadSnapshot('acc', 'dated')).toBeUndefined();
  });

  it('handle loads through snapshots and every command of a storm still lands once', async () => {
    const store = await open();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        handle(store, 'acc', balance, (state) => [deposit(`c${i}`, state.ids.length + 1)], { attempts: 12, snapshots: { everyEvents: 2 } }),
      ),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    const { state, seq } = await aggregate(store, 'acc', balance);
    expect(seq).toBe(12);
    expect(state.balance).toBe(78);
    expect(new Set(state.ids).size).toBe(12);
    expect(await aggregate(store, 'acc', balance, { snapshots: { everyEvents: 2 } })).toMatchObject({ state, seq: 12 });
  });

  it('bad options are refused with INVALID_ARGUMENT naming them', async () => {
    const store = await open();
    await expect(aggregate(store, 'acc', balance, { snapshots: {} })).rejects.toThrow(
      /^options\.snapshots must give everyEvents, everyMs or both/,
    );
    await expect(aggregate(store, 'acc', balance, { snapshots: { everyEvents: 0 } })).rejects.toThrow(
      /^options\.snapshots\.everyEvents must be a positive integer/,
    );
    await expect(aggregate(store, 'acc', { ...balance, version: -1 }, { snapshots: { everyEvents: 1 } })).rejects.toThrow(
      /^projection\.version must be/,
    );
  });
});

describe('a snapshot near the end of a long stream', () => {
  const events = 1_000_000;
  const snapshotAt = events - 10;
  // A projection that only counts: the state at any seq is known without replaying.
  const counter: Projection<{ n: number; sum: number }, { i: number }> = {
    name: 'counter',
    version: 1,
    initialState: { n: 0, sum: 0 },
    evolve: (state, { payload }) => ({ n: state.n + 1, sum: state.sum + payload.i }),
  };
  const sumTo = (n: number): number => (n * (n + 1)) / 2;
  const expected = { n: events, sum: sumTo(events) };

  it(`on SQLite (${events.toLocaleString('en')} events) reads only the 10 after it`, async () => {
    const file = join(dir, 'long.db');
    await new SqliteEventStore(file).close();
    const db = new Database(file);
    const insert = db.prepare('INSERT INTO hume_events (stream, seq, position, payload) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let seq = 1; seq <= events; seq++) insert.run('long', seq, seq, `{"i":${seq}}`);
    })();
    db.close();
    const base = new SqliteEventStore<{ i: number }>(file);
    try {
      await base.saveSnapshot('long', 'counter', { version: 1, seq: snapshotAt, state: { n: snapshotAt, sum: sumTo(snapshotAt) } });
      const { store, count } = countingStore(base);
      expect(await aggregate(store, 'long', counter, { snapshots: { everyEvents: 1000 } })).toEqual({
        state: expected,
        seq: events,
        from: snapshotAt,
      });
      expect(count).toEqual({ froms: [snapshotAt - 1], events: 11 });
      // The same stream without the snapshot reads every event: the count above is the snapshot's doing.
      count.events = 0;
      expect((await aggregate(store, 'long', counter)).state).toEqual(expected);
      expect(count.events).toBe(events);
    } finally {
      await base.close();
    }
  });

  it('on PostgreSQL (200,000 events) reads only the 10 after it', async () => {
    const total = 200_000;
    const schema = `${inject('schemaPrefix')}_proj_long`;
    const base = new PostgresEventStore<{ i: number }>(inject('databaseUrl'), { schema });
    await base.migrate();
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO "${schema}".hume_events (stream, seq, payload) SELECT 'long', g, json_build_object('i', g) FROM generate_series(1, ${total}) g`,
      );
      await client.query(`INSERT INTO "${schema}".hume_streams (stream, seq) VALUES ('long', ${total})`);
    } finally {
      await client.end();
    }
    try {
      const at = total - 10;
      await base.saveSnapshot('long', 'counter', { version: 1, seq: at, state: { n: at, sum: sumTo(at) } });
      const { store, count } = countingStore(base);
      expect(await aggregate(store, 'long', counter, { snapshots: { everyEvents: 1000 } })).toEqual({
        state: { n: total, sum: sumTo(total) },
        seq: total,
        from: at,
      });
      expect(count).toEqual({ froms: [at - 1], events: 11 });
    } finally {
      await base.close();
    }
  });
});

describe('replay and aggregate agree', () => {
  it('on any prefix resumed from a snapshot: same state as one pass', async () => {
    const { store } = await memoryKind.open<AccountEvent>();
    const payloads = Array.from({ length: 40 }, (_, i) => deposit(`d${i}`, (i * 7919) % 101));
    const whole = replay(
      balance,
      payloads.map((payload, i) => ({ seq: i + 1, payload })),
    );
    for (let cut = 0; cut <= payloads.length; cut += 3) {
      const stream = `acc-${cut}`;
      if (cut > 0) await store.appendMany?.(stream, payloads.slice(0, cut));
      await aggregate(store, stream, balance, { snapshots: { everyEvents: 1 } });
      if (cut < payloads.length) await store.appendMany?.(stream, payloads.slice(cut));
      const resumed = await aggregate(store, stream, balance, { snapshots: { everyEvents: 1 } });
      expect(resumed.state, `cut at ${cut}`).toEqual(whole);
      expect(resumed.from).toBe(cut);
    }
  });
});
