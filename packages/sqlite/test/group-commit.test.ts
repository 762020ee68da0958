import { join } from 'node:path';
import type { AppendResult } from '@hume/core';
import { type SqliteDatabase, SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { allExitCleanly, spawnFixture, startTogether } from './child-process.js';
import { spyOnStatements } from './statement-spy.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('group');
let files = 0;
const newFile = (): string => join(dir, `group-${++files}.db`);

/** A Database that counts the transactions the store begins, to see which appends shared one. */
function countingTransactions(db: Database.Database): { db: SqliteDatabase; begun: () => number } {
  let begun = 0;
  const spied = spyOnStatements(
    db,
    (source) => source === 'BEGIN IMMEDIATE',
    'run',
    () => begun++,
  );
  return { db: spied, begun: () => begun };
}

async function stored(store: SqliteEventStore, stream: string): Promise<unknown[]> {
  const payloads: unknown[] = [];
  for await (const event of store.events(stream)) payloads.push(event.payload);
  return payloads;
}

describe('group commit', () => {
  it('writes a lone append before append() returns, so a lone caller never waits for a group', async () => {
    const file = newFile();
    const store = new SqliteEventStore(file, { durability: 'normal' });
    const reader = new Database(file, { readonly: true });
    const count = reader.prepare('SELECT count(*) FROM hume_events').pluck();
    for (let i = 1; i <= 20; i++) {
      const pending = store.append(i % 2 === 0 ? 'a' : `s-${i}`, { i }, i % 3 === 0 ? null : undefined);
      // Another connection sees the row committed while the promise is still pending.
      expect(count.get()).toBe(i);
      expect((await pending).ok).toBe(true);
    }
    const batch = store.appendMany('a', [1, 2, 3]);
    expect(count.get()).toBe(23);
    expect(await batch).toEqual({ ok: true, first: 11, seq: 13 });
    reader.close();
    await store.close();
  });

  it('puts the appends called while a write is in flight, on any streams, into one transaction, each with its own seq', async () => {
    const counted = countingTransactions(new Database(newFile()));
    const store = new SqliteEventStore(counted.db);
    // The first goes to the database at once, alone; the 7 called behind it share the next transaction.
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.append(`s-${i % 4}`, { i })));
    expect(counted.begun()).toBe(2);
    expect(results).toEqual(Array.from({ length: 8 }, (_, i) => ({ ok: true, seq: i < 4 ? 1 : 2 })));
    for (let s = 0; s < 4; s++) expect(await stored(store, `s-${s}`)).toEqual([{ i: s }, { i: s + 4 }]);

    // Eight awaiting loops, once the store is idle: the first round as above (one alone, seven together), then
    // their appends, called again as they are answered, wait for one another: one transaction per round.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const before = counted.begun();
    await Promise.all(
      Array.from({ length: 8 }, async (_, lane) => {
        for (let round = 0; round < 10; round++) {
          const result = await store.append(`lane-${lane}`, { round });
          if (!result.ok) throw result.error;
        }
      }),
    );
    expect(counted.begun() - before).toBe(11);
    await store.close();
  });

  it('gives each append its own outcome: conflicts refuse only their own append, expects on one stream are checked in call order', async () => {
    const store = new SqliteEventStore(newFile());
    await store.append('s', 'first');
    const calls: [string, number | undefined][] = [
      ['s', 1], // wins: the last seq is 1
      ['s', 1], // conflict: the call before made it 2
      ['s', undefined], // 3
      ['s', 3], // wins at 4
      ['t', 5], // conflict on an empty stream
      ['t', 0], // wins at 1
      ['s', 0], // conflict
    ];
    const results = await Promise.all(calls.map(([stream, expected], i) => store.append(stream, { i }, expected)));
    const summary = results.map((result: AppendResult) =>
      result.ok ? result.seq : `${result.error.code} ${'actual' in result.error ? result.error.actual : ''}`,
    );
    expect(summary).toEqual([2, 'UNEXPECTED_SEQ 2', 3, 4, 'UNEXPECTED_SEQ 0', 1, 'UNEXPECTED_SEQ 4']);
    expect(await stored(store, 's')).toEqual(['first', { i: 0 }, { i: 2 }, { i: 3 }]);
    expect(await stored(store, 't')).toEqual([{ i: 5 }]);
    await store.close();
  });

  it('rejects every append of a group with BACKEND and stores none of them when the database fails one', async () => {
    const db = new Database(newFile());
    const store = new SqliteEventStore(db);
    // A real failure inside SQLite, raised by the second insert of the group.
    db.exec(
      `CREATE TRIGGER refuse BEFORE INSERT ON hume_events WHEN NEW.payload = '"boom"' BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END`,
    );
    // 'alone' is written at once; the other four, called while it is in flight, form one group.
    const [alone, ...group] = await Promise.allSettled(
      ['alone', 'a', 'b', 'boom', 'c'].map((payload, i) => store.append(`s-${i}`, payload)),
    );
    expect(alone).toEqual({ status: 'fulfilled', value: { ok: true, seq: 1 } });
    for (const outcome of group) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'BACKEND', cause: { message: 'refused by trigger' } });
    }
    for (let i = 1; i < 5; i++) expect(await stored(store, `s-${i}`)).toEqual([]);
    expect(await store.append('s-1', 'after')).toEqual({ ok: true, seq: 1 });
    expect(await store.append('s-3', 'boom').catch((error: unknown) => error)).toMatchObject({ code: 'BACKEND' });
    db.close();
  });

  it('keeps 2,000 appends in flight at once gap-free and each acknowledged seq stored with its payload', async () => {
    const store = new SqliteEventStore(newFile(), { durability: 'normal' });
    const calls = Array.from({ length: 2_000 }, (_, i) => ({ stream: `s-${i % 7}`, i }));
    const results = await Promise.all(calls.map(({ stream, i }) => store.append(stream, { i })));
    for (let s = 0; s < 7; s++) {
      const mine = calls.map((call, n) => ({ ...call, result: results[n]! })).filter((call) => call.stream === `s-${s}`);
      expect(mine.map(({ result }) => (result.ok ? result.seq : -1))).toEqual(mine.map((_, n) => n + 1));
      expect(await stored(store, `s-${s}`)).toEqual(mine.map(({ i }) => ({ i })));
    }
    await store.close();
  });

  it('commits what was called before close() and refuses what comes after', async () => {
    const store = new SqliteEventStore(newFile());
    const pending = [store.append('s', 1), store.append('s', 2)];
    await store.close();
    expect(await Promise.all(pending)).toEqual([
      { ok: true, seq: 1 },
      { ok: true, seq: 2 },
    ]);
    await expect(store.append('s', 3)).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('holds across processes: concurrent appends with and without expect from several processes stay gap-free, one winner per expect', {
    timeout: 60_000,
  }, async () => {
    const file = newFile();
    await new SqliteEventStore(file).close();
    const children = [1, 2, 3, 4].map((id) => spawnFixture('append-child.mjs', [file, 'group', String(id), '40']));
    await startTogether(children);
    await allExitCleanly(children);
    const outcomes = children.flatMap((child) => child.lines.slice(1).map((line) => JSON.parse(line) as { free: number[]; won: number[] }));
    const store = new SqliteEventStore(file);
    const free = await stored(store, 'free');
    expect(free).toHaveLength(4 * 40 * 8);
    expect(outcomes.flatMap((outcome) => outcome.free).sort((a, b) => a - b)).toEqual(free.map((_, i) => i + 1));
    // Each round every process sends 8 appends with expect = what it last saw: won seqs are distinct and stored.
    const won = outcomes.flatMap((outcome) => outcome.won).sort((a, b) => a - b);
    const race = await stored(store, 'race');
    expect(won).toEqual(race.map((_, i) => i + 1));
    await store.close();
  });
});
