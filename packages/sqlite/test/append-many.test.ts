import { join } from 'node:path';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from './temp-dir.js';

const dir = tempDir('append-many');
let files = 0;
const newFile = (): string => join(dir, `many-${++files}.db`);

async function stored(store: SqliteEventStore, stream: string): Promise<[number, unknown][]> {
  const events: [number, unknown][] = [];
  for await (const event of store.events(stream)) events.push([event.seq, event.payload]);
  return events;
}

describe('appendMany', () => {
  it('stores a batch at contiguous seqs after the last, resolving the first and last seq, and chains into the next expect', async () => {
    const store = new SqliteEventStore(newFile());
    await store.append('s', 'before');
    expect(await store.appendMany('s', ['a', 'b', 'c'], 1)).toEqual({ ok: true, first: 2, seq: 4 });
    expect(await store.appendMany('s', ['d'])).toEqual({ ok: true, first: 5, seq: 5 });
    expect(await store.appendMany('s', ['e', 'f'], 5)).toEqual({ ok: true, first: 6, seq: 7 });
    expect(await stored(store, 's')).toEqual(['before', 'a', 'b', 'c', 'd', 'e', 'f'].map((p, i) => [i + 1, p]));
    await store.close();
  });

  it('stores nothing when its expect is stale, when one payload is refused, or when the array is empty', async () => {
    const store = new SqliteEventStore(newFile());
    await store.appendMany('s', ['a', 'b']);
    const stale = await store.appendMany('s', ['x', 'y'], 1);
    expect(stale.ok || stale.error).toMatchObject({ code: 'UNEXPECTED_SEQ', expected: 1, actual: 2 });
    const bad = await store.appendMany('s', ['x', { n: Number.NaN }, 'z']);
    expect(bad.ok || bad.error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('payloads[1]') });
    const empty = await store.appendMany('s', []);
    expect(empty.ok || empty.error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await stored(store, 's')).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    await store.close();
  });

  it('never interleaves racing batches: each batch is one contiguous run of seqs, beside single appends', async () => {
    const store = new SqliteEventStore(newFile(), { durability: 'normal' });
    const batches = Array.from({ length: 30 }, (_, b) => Array.from({ length: 1 + (b % 7) * 9 }, (_, i) => ({ b, i })));
    // Called alternately, a batch then a single append, so that they arrive interleaved.
    const batchResults = [];
    const singles = [];
    for (const [b, batch] of batches.entries()) {
      batchResults.push(store.appendMany('s', batch));
      singles.push(store.append('s', { single: b }));
    }
    const [results] = await Promise.all([Promise.all(batchResults), Promise.all(singles)]);
    const events = await stored(store, 's');
    expect(events.map(([seq]) => seq)).toEqual(events.map((_, i) => i + 1));
    for (const [b, batch] of batches.entries()) {
      const result = results[b]!;
      if (!result.ok) throw new Error(`batch ${b} failed`);
      expect(result.seq - result.first + 1).toBe(batch.length);
      expect(events.slice(result.first - 1, result.seq).map(([, payload]) => payload)).toEqual(batch);
    }
    await store.close();
  });

  it('rolls back with a transaction of the caller on a shared Database, and stores nothing of a batch the database fails', async () => {
    const db = new Database(newFile());
    const store = new SqliteEventStore(db);
    db.exec('BEGIN');
    expect(await store.appendMany('s', ['a', 'b'])).toEqual({ ok: true, first: 1, seq: 2 });
    db.exec('ROLLBACK');
    db.exec(
      `CREATE TRIGGER refuse BEFORE INSERT ON hume_events WHEN NEW.payload = '"boom"' BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END`,
    );
    await expect(store.appendMany('s', ['a', 'b', 'boom', 'c'])).rejects.toMatchObject({ code: 'BACKEND' });
    expect(await stored(store, 's')).toEqual([]);
    expect(await store.appendMany('s', ['a', 'b'])).toEqual({ ok: true, first: 1, seq: 2 });
    db.close();
  });
});
