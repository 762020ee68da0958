import { join } from 'node:path';
import type { FeedEvent } from '@hume/core';
import { type SqliteDatabase, SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { prefixUpperBound } from '../src/prefix-upper-bound.js';
import { spyOnStatements } from './statement-spy.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('feed-prefix');
let files = 0;
const newFile = (): string => join(dir, `store-${++files}.db`);

/** A Database that records the `after` argument of every prefix page query. */
function recordingDatabase(db: Database.Database): { db: SqliteDatabase; afters: number[] } {
  const afters: number[] = [];
  const spied = spyOnStatements(
    db,
    (source) => source.includes('substr(stream'),
    'all',
    (params) => afters.push(Number((params[0] as { after: number }).after)),
  );
  return { db: spied, afters };
}

async function feedOf(store: SqliteEventStore, prefix: string): Promise<FeedEvent<unknown>[]> {
  const events: FeedEvent<unknown>[] = [];
  for await (const event of store.feed(undefined, { prefix })) events.push(event);
  return events;
}

async function appendOk(store: SqliteEventStore, stream: string, payload: unknown): Promise<void> {
  const result = await store.append(stream, payload as never);
  if (!result.ok) throw result.error;
}

describe('prefixUpperBound', () => {
  it('raises the last code point below U+10FFFF, stepping over the surrogates', () => {
    expect(prefixUpperBound('cart-')).toBe('cart.');
    expect(prefixUpperBound('a\uD7FF')).toBe('a\uE000');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('a\u{1F600}')).toBe('a\u{1F601}');
    expect(prefixUpperBound('\uFFFF')).toBe('\u{10000}');
    expect(prefixUpperBound('\u{10FFFF}\u{10FFFF}')).toBeUndefined();
  });
});

describe('a feed filtered by prefix', () => {
  it('yields exactly the streams that start with the prefix, whatever code points end it', async () => {
    const store = new SqliteEventStore(newFile());
    const names = [
      'a',
      'a\uD7FF',
      'a\uD7FFx',
      'a\uE000',
      'a\uFFFF',
      'a\u{10000}',
      'a\u{10FFFF}',
      'a\u{10FFFF}z',
      'b',
      '\u{10FFFF}',
      '\u{10FFFF}!',
    ];
    for (const name of names) await appendOk(store, name, name);
    for (const prefix of ['a', 'a\uD7FF', 'a\uFFFF', 'a\u{10FFFF}', '\u{10FFFF}', 'c']) {
      const streams = (await feedOf(store, prefix)).map((event) => event.stream);
      expect(streams, `prefix ${JSON.stringify(prefix)}`).toEqual(names.filter((name) => name.startsWith(prefix)));
    }
    await store.close();
  });

  it('from the start, begins at the first position of the prefix instead of scanning the events before it', async () => {
    const { db, afters } = recordingDatabase(new Database(newFile()));
    const store = new SqliteEventStore(db);
    await store.appendMany(
      'other',
      Array.from({ length: 500 }, (_, i) => i),
    );
    await appendOk(store, 'cart-1', 'first');
    await appendOk(store, 'other', 'between');
    await appendOk(store, 'cart-2', 'second');
    expect((await feedOf(store, 'cart-')).map((event) => event.payload)).toEqual(['first', 'second']);
    expect(afters[0]).toBe(500);
    await store.close();
    db.close();
  });

  it('live, rescans nothing it already went through when other streams wake it, and misses nothing', async () => {
    const { db, afters } = recordingDatabase(new Database(newFile()));
    const store = new SqliteEventStore(db);
    await appendOk(store, 'cart-1', 0);
    const controller = new AbortController();
    const seen: unknown[] = [];
    const reading = (async () => {
      for await (const event of store.feed(undefined, { prefix: 'cart-', live: true, signal: controller.signal })) {
        seen.push(event.payload);
        if (seen.length === 4) controller.abort();
      }
    })();
    const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 20; i++) {
        await appendOk(store, 'other', i);
        await settle();
      }
      await appendOk(store, `cart-${round}`, round);
    }
    await reading;
    expect(seen).toEqual([0, 1, 2, 3]);
    // Woken by the "other" appends, each scan starts where the previous one ended, not back at the
    // last cart event (positions 1, 22, 43): the scans go forward, and past the cart positions.
    expect(afters).toEqual([...afters].sort((a, b) => a - b));
    expect(Math.max(...afters)).toBeGreaterThan(43);
    expect(new Set(afters).size).toBeGreaterThan(20);
    await store.close();
    db.close();
  });
});
