import { join } from 'node:path';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spawnFixture } from './child-process.js';
import { spyOnStatements } from './statement-spy.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('page-bytes');
let files = 0;
const newFile = (): string => join(dir, `pages-${++files}.db`);
const MiB = 2 ** 20;

describe('pages bounded by bytes', () => {
  it('read every event, in order and from any from, when pages end by bytes before they end by count', async () => {
    const store = new SqliteEventStore(newFile(), { pageSize: 100, pageBytes: 100 });
    // Stored sizes 30 to 120 bytes: pages of one to three events, and events bigger than a page on their own.
    const payloads = Array.from({ length: 25 }, (_, i) => 'x'.repeat(28 + ((i * 37) % 93)));
    for (const payload of payloads) await store.append('s', payload);
    for (const from of [0, 1, 2, 7, 24, 25]) {
      const seen: { seq: number; payload: string }[] = [];
      for await (const event of store.events('s', from)) seen.push(event as { seq: number; payload: string });
      expect(seen.map((event) => event.seq)).toEqual(payloads.map((_, i) => i + 1).slice(from));
      expect(seen.map((event) => event.payload)).toEqual(payloads.slice(from));
    }
    await store.close();
  });

  it('bound the feed’s pages by pageBytes too: each query lets its payloads share them, an event larger than that comes alone', async () => {
    const asked: { rows: number; allowance: number }[] = [];
    const db = spyOnStatements(
      new Database(newFile()),
      (source) => source.includes('@allowance'),
      'all',
      (params) => asked.push(params[0] as { rows: number; allowance: number }),
    );
    const store = new SqliteEventStore(db, { pageSize: 100, pageBytes: 3000 });
    // Stored as 300 bytes each: pages of 10 fill the budget exactly.
    const even = Array.from({ length: 300 }, (_, i) => `${i}`.padEnd(298, 'x'));
    await store.appendMany('even', even);
    const mixed = [...Array(40).fill('s'), 'L'.repeat(5000), 'm'.repeat(900), 'L'.repeat(7000), ...Array(40).fill('t')];
    await store.appendMany('mixed', mixed);
    const queries: number[] = [];
    for (const prefix of ['', 'mix']) {
      asked.length = 0;
      const read: unknown[] = [];
      for await (const event of store.feed(undefined, { prefix })) read.push(event.payload);
      expect(read).toEqual(prefix === '' ? [...even, ...mixed] : mixed);
      for (const { rows, allowance } of asked) if (rows > 1) expect(rows * allowance).toBeLessThanOrEqual(3000);
      // The two events larger than the budget were asked for alone.
      expect(asked.filter(({ rows }) => rows === 1).length).toBeGreaterThanOrEqual(2);
      queries.push(asked.length);
    }
    // The whole feed: one query whose first payload was withheld, then pages of 8 (room for payloads a
    // quarter larger than 300 bytes; not a withheld payload in every other query), then the mixed
    // stream's (its two large ones alone): 48 in all. The prefix feed reads the mixed stream alone: 8.
    expect(queries).toEqual([48, 8]);
    await store.close();
  });

  it('keep a read of one event of a stream of large payloads within about one payload of memory', { timeout: 120_000 }, async () => {
    const file = newFile();
    await new SqliteEventStore(file).close();
    // 30 payloads of 8 MiB (240 MiB), written straight into the table: the read is under test, not the appends.
    const db = new Database(file);
    // The only stream of a fresh file: its feed positions are its seqs.
    const insert = db.prepare('INSERT INTO hume_events (stream, seq, position, payload) VALUES (?, ?, ?, ?)');
    const payload = JSON.stringify('x'.repeat(8 * MiB));
    db.transaction(() => {
      for (let seq = 1; seq <= 30; seq++) insert.run('big', seq, seq, payload);
    })();
    db.close();

    const reader = spawnFixture('read-one-child.mjs', [file, 'big']);
    const { code, stderr } = await reader.exited;
    expect(code, stderr).toBe(0);
    const report = JSON.parse(reader.lines[0] ?? '{}') as {
      first: { seq: number; length: number };
      baselineRssBytes: number;
      maxRssBytes: number;
    };
    expect(report.first).toEqual({ seq: 1, length: 8 * MiB });
    // A page of 512 events would hold all 240 MiB; one event and its parsed copy are about 16 MiB.
    const grew = report.maxRssBytes - report.baselineRssBytes;
    expect(grew, `peak RSS grew by ${(grew / MiB).toFixed(0)} MiB`).toBeLessThan(80 * MiB);
  });
});
