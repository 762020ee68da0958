import { join } from 'node:path';
import type { Json } from '@hume/core';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from './temp-dir.js';

const dir = tempDir('shared');
let files = 0;
const newFile = (): string => join(dir, `shared-${++files}.db`);

async function seqs(store: SqliteEventStore, stream: string): Promise<number[]> {
  const all: number[] = [];
  for await (const event of store.events(stream)) all.push(event.seq);
  return all;
}

/** A store on a Database the test also uses, the way an app sharing its connection would. */
function shared(options: { busyTimeout?: number } = {}): { db: Database.Database; store: SqliteEventStore } {
  const db = new Database(newFile());
  return { db, store: new SqliteEventStore(db, options) };
}

describe('an append inside a transaction of the caller on a shared Database', () => {
  for (const cache of ['warm', 'cold'] as const) {
    it(`is rolled back with it, leaving no gap, with a ${cache} cache`, async () => {
      const { db, store } = shared();
      if (cache === 'warm') expect(await store.append('s', 'one')).toEqual({ ok: true, seq: 1 });
      else
        db.prepare(
          `INSERT INTO hume_events (stream, seq, position, payload) VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM hume_events), ?)`,
        ).run('s', 1, '"one"');

      db.exec('BEGIN');
      expect(await store.append('s', 'rolled back')).toEqual({ ok: true, seq: 2 });
      db.exec('ROLLBACK');

      expect(await store.append('s', 'two')).toEqual({ ok: true, seq: 2 });
      expect(await seqs(store, 's')).toEqual([1, 2]);
      const fresh = new SqliteEventStore(db);
      expect(await fresh.append('s', 'three')).toEqual({ ok: true, seq: 3 });
      expect(await seqs(fresh, 's')).toEqual([1, 2, 3]);
      db.close();
    });

    it(`commits with it, its expect checked against what the transaction sees, with a ${cache} cache`, async () => {
      const { db, store } = shared();
      if (cache === 'warm') await store.append('s', 'one');
      else
        db.prepare(
          `INSERT INTO hume_events (stream, seq, position, payload) VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM hume_events), ?)`,
        ).run('s', 1, '"one"');
      db.exec('BEGIN');
      expect(await store.append('s', 'two', 1)).toEqual({ ok: true, seq: 2 });
      const stale = await store.append('s', 'stale', 1);
      expect(stale.ok || stale.error).toMatchObject({ code: 'UNEXPECTED_SEQ', actual: 2 });
      expect(await store.append('s', 'three', 2)).toEqual({ ok: true, seq: 3 });
      db.exec('COMMIT');
      expect(await seqs(new SqliteEventStore(db), 's')).toEqual([1, 2, 3]);
      db.close();
    });
  }

  it('makes the outbox pattern work: a row of the caller and the event commit or roll back together', async () => {
    const { db, store } = shared();
    db.exec('CREATE TABLE outbox (message TEXT NOT NULL)');
    const send = db.prepare('INSERT INTO outbox (message) VALUES (?)');
    const command = db.transaction((message: string, fail: boolean) => {
      send.run(message);
      // better-sqlite3 transactions are synchronous: the append writes before this function returns.
      const appended = store.append('orders', { message });
      if (fail) throw new Error('the command failed after appending');
      return { appended }; // a transaction function may not return a promise itself
    });

    expect(await command('kept', false).appended).toEqual({ ok: true, seq: 1 });
    expect(() => command('dropped', true)).toThrow('the command failed after appending');
    expect(await command('kept too', false).appended).toEqual({ ok: true, seq: 2 });

    expect(db.prepare('SELECT message FROM outbox').pluck().all()).toEqual(['kept', 'kept too']);
    const events: Json[] = [];
    for await (const event of store.events('orders')) events.push(event.payload);
    expect(events).toEqual([{ message: 'kept' }, { message: 'kept too' }]);
    db.close();
  });

  it('is not taken into the transaction when it was called before the transaction began: it commits on its own after it', async () => {
    const { db, store } = shared();
    // The first append is written at once; the second, called while the first is in flight, waits for the next group.
    const atOnce = store.append('s', 'written at once');
    const queued = store.append('s', 'called before BEGIN');
    db.exec('BEGIN');
    expect(await store.append('s', 'inside')).toEqual({ ok: true, seq: 2 });
    // The queued append waits for the caller's transaction as it would for another connection's lock.
    await new Promise((resolve) => setTimeout(resolve, 20));
    db.exec('ROLLBACK');
    expect(await atOnce).toEqual({ ok: true, seq: 1 });
    expect(await queued).toEqual({ ok: true, seq: 2 });
    expect(await seqs(store, 's')).toEqual([1, 2]);
    db.close();
  });

  it('rejects appends called outside it with BACKEND when it stays open past the busy timeout, storing nothing', async () => {
    const { db, store } = shared({ busyTimeout: 50 });
    const atOnce = store.append('s', 'written at once');
    const queued = store.append('s', 'waits');
    db.exec('BEGIN');
    await expect(queued).rejects.toMatchObject({ code: 'BACKEND', message: expect.stringContaining('busyTimeout (50 ms)') });
    db.exec('COMMIT');
    expect(await atOnce).toEqual({ ok: true, seq: 1 });
    expect(await seqs(store, 's')).toEqual([1]);
    expect(await store.append('s', 'after')).toEqual({ ok: true, seq: 2 });
    db.close();
  });
});

describe('rows deleted behind the store', () => {
  it('never make the next append skip a seq: it takes last + 1 of what is stored', async () => {
    const { db, store } = shared();
    for (let i = 1; i <= 3; i++) await store.append('s', i);
    db.prepare('DELETE FROM hume_events WHERE stream = ?').run('s');
    expect(await store.append('s', 'after emptying')).toEqual({ ok: true, seq: 1 });

    await store.append('s', 2);
    await store.append('s', 3);
    db.prepare('DELETE FROM hume_events WHERE stream = ? AND seq = 3').run('s');
    expect(await store.append('s', 'after dropping the last')).toEqual({ ok: true, seq: 3 });
    expect(await seqs(store, 's')).toEqual([1, 2, 3]);
    db.close();
  });
});
