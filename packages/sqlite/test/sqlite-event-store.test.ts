import { join } from 'node:path';
import type { Event, Json } from '@hume/core';
import { SQLITE_SCHEMA_VERSION, type SqliteDatabase, SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spyOnStatements } from './statement-spy.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('store');
let files = 0;
const newFile = (): string => join(dir, `store-${++files}.db`);

async function collect<P>(events: AsyncIterable<Event<P>>): Promise<Event<P>[]> {
  const all: Event<P>[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function fill(store: SqliteEventStore, stream: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const result = await store.append(stream, { n: i });
    if (!result.ok) throw result.error;
  }
}

/** A Database whose page queries are counted, to see how many a read makes. */
function countingDatabase(db: Database.Database): { db: SqliteDatabase; pages: () => number } {
  let pages = 0;
  // Each page starts by measuring its extent (count, bytes, last seq).
  const spied = spyOnStatements(
    db,
    (source) => source.includes('count(*)'),
    'get',
    () => pages++,
  );
  return { db: spied, pages: () => pages };
}

describe('reopening a file', () => {
  for (const durability of ['full', 'normal'] as const) {
    it(`sees every acknowledged event (durability ${durability})`, async () => {
      const file = newFile();
      const first = new SqliteEventStore(file, { durability });
      for (let i = 1; i <= 60; i++) await first.append(`s-${i % 3}`, { i, text: 'é𝄞\u0000' });
      await first.close();

      const second = new SqliteEventStore(file, { durability });
      for (let stream = 0; stream < 3; stream++) {
        const events = await collect(second.events(`s-${stream}`));
        expect(events.map((event) => event.seq)).toEqual(range(1, 20));
        expect(events.map((event) => (event.payload as { i: number }).i)).toEqual(range(1, 20).map((n) => (n - 1) * 3 + (stream || 3)));
      }
      expect(await second.append('s-0', 'next', 20)).toEqual({ ok: true, seq: 21 });
      await second.close();
    });
  }
});

describe('two stores on one file', () => {
  it("take turns on one stream with gap-free seqs, each seeing the other's appends in its conflicts", async () => {
    const file = newFile();
    const a = new SqliteEventStore(file);
    const b = new SqliteEventStore(file);
    const seqs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [first, second] = i % 3 === 0 ? [b, a] : [a, b];
      for (const store of [first, second, first]) {
        const result = await store.append('s', { i });
        if (!result.ok) throw result.error;
        seqs.push(result.seq);
      }
    }
    expect(seqs).toEqual(range(1, 60));
    // a last appended at 59 (i = 19 is not a multiple of 3): b's knowledge is stale, and its expect is checked against the file.
    expect(await b.append('s', 'stale', 59)).toMatchObject({ ok: false, error: { code: 'UNEXPECTED_SEQ', expected: 59, actual: 60 } });
    expect(await b.append('s', 'fresh', 60)).toEqual({ ok: true, seq: 61 });
    expect(await a.append('s', 'after b', 60)).toMatchObject({ ok: false, error: { actual: 61 } });
    expect(await a.append('s', 'after b')).toEqual({ ok: true, seq: 62 });
    expect((await collect(a.events('s'))).map((event) => event.seq)).toEqual(range(1, 62));
    await a.close();
    await b.close();
  });
});

describe('paged reads', () => {
  it('read every event across page boundaries, from any from', async () => {
    const store = new SqliteEventStore(newFile(), { pageSize: 3 });
    for (const length of [0, 1, 2, 3, 4, 6, 7, 10]) {
      const stream = `len-${length}`;
      await fill(store, stream, length);
      for (let from = 0; from <= length + 1; from++) {
        const events = await collect(store.events(stream, from));
        expect(events.map((event) => event.seq)).toEqual(from >= length ? [] : range(from + 1, length));
        expect(events.map((event) => event.payload)).toEqual(events.map((event) => ({ n: event.seq })));
      }
    }
    await store.close();
  });

  it('fetch one page per step, so a read that stops early queries only what it used', async () => {
    const raw = new Database(newFile());
    const { db, pages } = countingDatabase(raw);
    const store = new SqliteEventStore(db, { pageSize: 4 });
    await fill(store, 's', 40);
    let taken = 0;
    for await (const _ of store.events('s')) if (++taken === 5) break;
    expect(pages()).toBe(2);
    expect((await collect(store.events('s'))).length).toBe(40);
    // 40 events in pages of 4: ten full pages, then an empty one to learn the stream ended.
    expect(pages()).toBe(2 + 11);
    await store.close();
    raw.close();
  });

  it('let a write land between two pages of a read in progress, and the read stays gap-free', async () => {
    const file = newFile();
    const store = new SqliteEventStore(file, { pageSize: 2 });
    const other = new SqliteEventStore(file);
    await fill(store, 's', 4);
    const seen: number[] = [];
    for await (const event of store.events('s')) {
      seen.push(event.seq);
      if (event.seq === 2) {
        // Same connection and another one: neither is blocked by the read, which holds no statement open.
        expect(await store.append('s', { n: 5 })).toEqual({ ok: true, seq: 5 });
        expect(await other.append('s', { n: 6 }, 5)).toEqual({ ok: true, seq: 6 });
      }
    }
    expect(seen).toEqual(range(1, 6));
    await store.close();
    await other.close();
  });
});

describe('backend failures', () => {
  it('reject with code BACKEND and the SQLITE_BUSY error as cause when the write lock is held past the timeout; the store stays usable', async () => {
    const file = newFile();
    const store = new SqliteEventStore(file, { busyTimeout: 50 });
    await fill(store, 's', 2);
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    for (const expect_ of [undefined, 2]) {
      const rejection = await store.append('s', { n: 3 }, expect_).then(
        () => undefined,
        (error: unknown) => error as { code?: string; cause?: { code?: string }; message: string },
      );
      expect(rejection?.code).toBe('BACKEND');
      expect(rejection?.cause?.code).toBe('SQLITE_BUSY');
      expect(rejection?.message).toContain('"s"');
    }
    // Readers are not blocked by a writer in WAL mode.
    expect((await collect(store.events('s'))).length).toBe(2);
    holder.exec('COMMIT');
    holder.close();
    expect(await store.append('s', { n: 3 }, 2)).toEqual({ ok: true, seq: 3 });
    expect(await store.append('s', { n: 4 })).toEqual({ ok: true, seq: 4 });
    await store.close();
  });

  it('reject a read with code BACKEND when the database is closed under the store', async () => {
    const db = new Database(newFile());
    const store = new SqliteEventStore(db, { pageSize: 2 });
    await fill(store, 's', 5);
    const iterator = store.events('s')[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    db.close();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'BACKEND', cause: expect.any(Error) });
    await store.close();
  });
});

describe('close', () => {
  it('is idempotent, refuses later calls with CLOSED, and closes the file it opened', async () => {
    const store = new SqliteEventStore(newFile());
    await store.close();
    await store.close();
    await expect(store.append('s', 1)).rejects.toMatchObject({ code: 'CLOSED', message: 'append was called after the store was closed' });
    await expect(store.events('s')[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('stops a read in progress with CLOSED at its next page', async () => {
    const store = new SqliteEventStore(newFile(), { pageSize: 2 });
    await fill(store, 's', 5);
    const iterator = store.events('s')[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    await store.close();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('leaves a Database it was given open for its owner', async () => {
    const db = new Database(newFile());
    const store = new SqliteEventStore(db);
    await store.close();
    expect(db.open).toBe(true);
    db.close();
  });
});

describe('the database argument and the connection', () => {
  it('sets WAL, the busy timeout and the chosen durability on the connection', () => {
    const db = new Database(newFile());
    new SqliteEventStore(db, { durability: 'normal', busyTimeout: 1234 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    new SqliteEventStore(db);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('returns seqs as numbers even on a connection that reads integers as bigints', async () => {
    const db = new Database(newFile());
    db.defaultSafeIntegers(true);
    const store = new SqliteEventStore(db);
    expect(await store.append('s', 1)).toEqual({ ok: true, seq: 1 });
    expect(await store.append('s', 2, 1)).toEqual({ ok: true, seq: 2 });
    expect(await store.append('s', 3, 0)).toMatchObject({ ok: false, error: { actual: 2 } });
    expect(await collect(store.events('s'))).toEqual([
      { seq: 1, payload: 1 },
      { seq: 2, payload: 2 },
    ]);
    db.close();
  });

  it('refuses what is neither a path nor an open Database, naming the argument', () => {
    expect(() => new SqliteEventStore('')).toThrow(/^database must be a file path/);
    expect(() => new SqliteEventStore(42 as unknown as string)).toThrow(/^database must be a file path.*\(got 42\)/);
    const closed = new Database(':memory:');
    closed.close();
    expect(() => new SqliteEventStore(closed)).toThrow('database must be open (got a closed Database)');
  });

  it('reports a file it cannot open as BACKEND with the driver error as cause', () => {
    let thrown: unknown;
    try {
      new SqliteEventStore(join(dir, 'no-such-folder', 'x.db'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'BACKEND', cause: expect.any(Error) });
  });
});

describe('options', () => {
  it.each([
    [{ tablePrefix: '' }, /^options\.tablePrefix must be 1 to 63 letters/],
    [{ tablePrefix: 'a b' }, /^options\.tablePrefix must be .*\(got "a b"\)/],
    [{ tablePrefix: 'x"; DROP TABLE t; --' }, /^options\.tablePrefix must be/],
    [{ tablePrefix: '1st_' }, /^options\.tablePrefix must be/],
    [{ tablePrefix: 'SQLite_x' }, /^options\.tablePrefix must not start with "sqlite_"/],
    [{ durability: 'fast' }, /^options\.durability must be 'full' or 'normal' \(got "fast"\)/],
    [{ pageSize: 0 }, /^options\.pageSize must be a positive integer \(got 0\)/],
    [{ pageSize: 1.5 }, /^options\.pageSize must be a positive integer/],
    [{ pageBytes: 0 }, /^options\.pageBytes must be a positive integer number of bytes \(got 0\)/],
    [{ pageBytes: '4 MiB' }, /^options\.pageBytes must be a positive integer/],
    [{ busyTimeout: -1 }, /^options\.busyTimeout must be an integer number of milliseconds/],
    [{ bogus: 1 }, /^options\.bogus is not an option \(the options are: tablePrefix, durability, pageSize, pageBytes, busyTimeout/],
    [{ pagesize: 10 }, /^options\.pagesize is not an option \(did you mean pageSize\?/],
    [{ maxPayloadBytes: 1024 }, /^options\.maxPayloadBytes must be an integer from 2097152 \(2 MiB\) to 536870888 \(got 1024\)$/],
  ])('refuse %j with a message naming the option', (options, message) => {
    expect(() => new SqliteEventStore(':memory:', options as never)).toThrow(message);
  });

  it('refuse payloads past maxPayloadBytes (16 MiB by default) with INVALID_ARGUMENT naming the limit, storing nothing', async () => {
    const store = new SqliteEventStore(':memory:', { maxPayloadBytes: 2 * 1024 * 1024 });
    const result = await store.append('s', 'x'.repeat(2 * 1024 * 1024));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/at most 2097152 bytes/) },
    });
    expect(store.options.maxPayloadBytes).toBe(2 * 1024 * 1024);
    expect(new SqliteEventStore(':memory:').options.maxPayloadBytes).toBe(16 * 1024 * 1024);
    const huge = await store.append('s', { huge: '\u0001'.repeat(1e8) });
    expect(huge).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', argument: 'payload' } });
    expect(await collect(store.events('s'))).toEqual([]);
    await store.close();
  });

  it('keep stores with different table prefixes in one file apart', async () => {
    const file = newFile();
    const a = new SqliteEventStore(file, { tablePrefix: 'a_' });
    const b = new SqliteEventStore(file, { tablePrefix: 'b_' });
    await a.append('s', 'from a');
    expect(await b.append('s', 'from b', 0)).toEqual({ ok: true, seq: 1 });
    expect(await collect(a.events('s'))).toEqual([{ seq: 1, payload: 'from a' }]);
    const db = new Database(file);
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[]).join(',');
    // Each prefix's own tables, the snapshot and checkpoint ones (C14, C15) included.
    expect(tables).toBe('a_checkpoints,a_events,a_schema,a_snapshots,b_checkpoints,b_events,b_schema,b_snapshots');
    db.close();
    await a.close();
    await b.close();
  });
});

describe('the schema', () => {
  it('is created once and records its version', async () => {
    const file = newFile();
    for (let open = 0; open < 3; open++) await new SqliteEventStore(file).close();
    const db = new Database(file);
    expect(db.prepare('SELECT version FROM hume_schema').pluck().all()).toEqual([SQLITE_SCHEMA_VERSION]);
    db.close();
  });

  it('refuses a file written by a newer release, saying so', async () => {
    const file = newFile();
    await new SqliteEventStore(file).close();
    const db = new Database(file);
    db.prepare('UPDATE hume_schema SET version = ?').run(SQLITE_SCHEMA_VERSION + 1);
    db.close();
    expect(() => new SqliteEventStore(file)).toThrow(/records schema version 2, newer than the 1 this @hume\/sqlite knows/);
  });
});

describe('payload types', () => {
  it('accept a user interface as P', async () => {
    interface Opened {
      type: 'opened';
      at: string;
    }
    const store = new SqliteEventStore<Opened>(':memory:');
    await store.append('cart', { type: 'opened', at: '2026-01-01' });
    const events: Event<Opened>[] = await collect(store.events('cart'));
    const payload: Json = events[0]!.payload as unknown as Json;
    expect(payload).toEqual({ type: 'opened', at: '2026-01-01' });
    await store.close();
  });
});
