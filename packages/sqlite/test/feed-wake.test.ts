// How live feeds hear of other connections' commits: a watch of the file's
// write-ahead log wakes them at once, the data_version timer behind it is a
// safety net. The feeds here poll once an hour, so only the watch can
// deliver within the tests' time.
import { appendFileSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFile } from '../src/database-file.js';
import { SqliteFeed } from '../src/sqlite-feed.js';
import { sqliteTables } from '../src/sqlite-schema.js';
import { watchWal } from '../src/watch-wal.js';
import { spyOnStatements } from './statement-spy.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('feed-wake');
let files = 0;
const newFile = (): string => join(dir, `store-${++files}.db`);
const HOUR = 3_600_000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Resolves once `condition()` holds, checking every 5 ms; rejects after `ms`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('databaseFile', () => {
  it('is the real path of the main file, through a symbolic link to its folder, and undefined in memory', () => {
    const real = join(dir, 'real');
    mkdirSync(real);
    symlinkSync(real, join(dir, 'link'));
    const db = new Database(join(dir, 'link', 'events.db'));
    cleanups.push(() => db.close());
    expect(databaseFile(db)).toBe(join(realpathSync(real), 'events.db'));
    const memory = new Database(':memory:');
    cleanups.push(() => memory.close());
    expect(databaseFile(memory)).toBeUndefined();
  });
});

describe('watchWal', () => {
  it('calls back once per turn for a burst of writes to the log, not for other files, and not once stopped', async () => {
    const file = newFile();
    writeFileSync(`${file}-wal`, '');
    let calls = 0;
    const stop = watchWal(file, () => calls++);
    expect(stop).toBeTypeOf('function');
    cleanups.push(() => stop?.());
    for (let i = 0; i < 20; i++) appendFileSync(`${file}-wal`, 'frame');
    await until(() => calls > 0, 5_000, 'a call for writes to the log');
    // Twenty writes made in one turn arrive as one notification or a few, never one call each.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBeLessThan(20);

    const before = calls;
    writeFileSync(join(dir, `other-${files}.txt`), 'not the log');
    writeFileSync(file, 'the database file itself');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(before);

    stop?.();
    appendFileSync(`${file}-wal`, 'after stop');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(before);
  });

  it('gives undefined, not an error, where it cannot watch', () => {
    expect(watchWal(join(dir, 'no-such-folder', 'events.db'), () => undefined)).toBeUndefined();
  });
});

describe('a live feed of a file', () => {
  /**
   * A live feed on a connection of its own to `file` (or on `db`), polling once an hour behind its
   * watch unless told otherwise, that records what it yields.
   */
  function hourlyFeed(file: string, db = new Database(file), unwatched = HOUR): { seen: unknown[]; caughtUp: () => boolean } {
    let closed = false;
    const feed = new SqliteFeed(db, sqliteTables('hume_'), 512, 2 ** 20, () => closed, databaseFile(db), { unwatched, watched: HOUR });
    const controller = new AbortController();
    const seen: unknown[] = [];
    let caughtUp = false;
    const reading = (async () => {
      for await (const event of feed.read(undefined, { live: true, signal: controller.signal, onCaughtUp: () => (caughtUp = true) })) {
        seen.push(event.payload);
      }
    })();
    cleanups.push(async () => {
      controller.abort();
      await reading;
      closed = true;
      feed.close();
      db.close();
    });
    return { seen, caughtUp: () => caughtUp };
  }

  it("is woken by another connection's commits through the watch of the log, not its hourly poll", async () => {
    const file = newFile();
    const writer = new SqliteEventStore(file);
    cleanups.push(() => writer.close());
    await writer.append('cart-1', 'before');
    const reader = hourlyFeed(file);
    await until(reader.caughtUp, 5_000, 'the catch-up');
    for (let i = 1; i <= 3; i++) {
      await writer.append('cart-1', i);
      await until(() => reader.seen.length === i + 1, 5_000, `the delivery of append ${i}`);
    }
    expect(reader.seen).toEqual(['before', 1, 2, 3]);
  });

  it('keeps waking after a checkpoint restarts the log', async () => {
    const file = newFile();
    const writer = new SqliteEventStore(file);
    cleanups.push(() => writer.close());
    const reader = hourlyFeed(file);
    await until(reader.caughtUp, 5_000, 'the catch-up');
    await writer.append('cart-1', 'first');
    await until(() => reader.seen.length === 1, 5_000, 'the first delivery');
    const checkpoint = new Database(file);
    checkpoint.pragma('wal_checkpoint(TRUNCATE)');
    checkpoint.close();
    await writer.append('cart-1', 'after the checkpoint');
    await until(() => reader.seen.length === 2, 5_000, 'the delivery after the checkpoint');
    expect(reader.seen).toEqual(['first', 'after the checkpoint']);
  });

  it('wakes for a commit made while it read its last page, with no commit after it', async () => {
    const file = newFile();
    const writer = new SqliteEventStore(file);
    cleanups.push(() => writer.close());
    await writer.append('cart-1', 'before');
    const other = new Database(file);
    cleanups.push(() => other.close());
    // Just before the reader's first look at data_version once caught up, another connection commits:
    // a look that took that moment's version as its baseline would never see it change.
    let armed = false;
    const db = spyOnStatements(
      new Database(file),
      (sql) => sql === 'PRAGMA data_version',
      'get',
      () => {
        if (!armed) return;
        armed = false;
        other
          .prepare(
            `INSERT INTO hume_events (stream, seq, position, payload) SELECT 'cart-2', 1, max(position) + 1, '"late"' FROM hume_events`,
          )
          .run();
      },
    );
    const reader = new SqliteEventStore(db);
    cleanups.push(() => reader.close());
    const controller = new AbortController();
    const seen: unknown[] = [];
    const reading = (async () => {
      const feed = reader.feed(undefined, { live: true, signal: controller.signal, onCaughtUp: () => (armed = seen.length === 1) });
      for await (const event of feed) seen.push(event.payload);
    })();
    cleanups.push(() => {
      controller.abort();
      return reading;
    });
    await until(() => seen.length === 2, 5_000, 'the delivery of the commit made before the first look');
    expect(seen).toEqual(['before', 'late']);
  });

  it('sees commits that landed during a read transaction of the caller on its handle once that transaction ends', async () => {
    const file = newFile();
    const writer = new SqliteEventStore(file);
    cleanups.push(() => writer.close());
    const shared = new Database(file);
    // The timer with no watch looks every 5 ms: it is what the feed falls back on inside the caller's transaction.
    const reader = hourlyFeed(file, shared, 5);
    await until(reader.caughtUp, 5_000, 'the catch-up');
    shared.exec('BEGIN');
    shared.prepare('SELECT count(*) FROM hume_events').get();
    await writer.append('cart-1', 'during');
    // The looks that follow the log's write run inside the caller's snapshot and see nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reader.seen).toEqual([]);
    shared.exec('COMMIT');
    await until(() => reader.seen.length === 1, 5_000, 'the delivery after the caller committed');
    expect(reader.seen).toEqual(['during']);
  });

  it('lets go of its timer and its watch once no feed waits, however many waited', async () => {
    const file = newFile();
    const writer = new SqliteEventStore(file);
    cleanups.push(() => writer.close());
    const handles = (): string[] =>
      process
        .getActiveResourcesInfo()
        .filter((type) => type === 'Timeout' || type === 'FSEventWrap')
        .sort();
    // Watches closed by the tests before this one let go of their handles on a later turn.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = handles();
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    let caughtUp = 0;
    const readings = controllers.map(async (controller) => {
      for await (const _ of writer.feed(undefined, { live: true, signal: controller.signal, onCaughtUp: () => caughtUp++ })) {
        // nothing to read: the file is empty
      }
    });
    await until(() => caughtUp === 3, 5_000, 'three catch-ups');
    // Waiting: one watch and the store's timer (one, not one per feed).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handles().filter((type) => type === 'FSEventWrap')).toEqual(['FSEventWrap']);
    for (const controller of controllers) controller.abort();
    await Promise.all(readings);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handles()).toEqual(before);
  });
});
