import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PostgresEventStore } from '@hume/postgres';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, databaseUrl, migratedStore, newPool, schemaName } from './database.js';

const schema = schemaName('page_bytes');
const MiB = 2 ** 20;
const stores: PostgresEventStore[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
});

/** The payload texts each page query of `pool`'s connections sent (withheld ones as `null`), query by query. */
function recordPages(pool: pg.Pool): (string | null)[][] {
  const pages: (string | null)[][] = [];
  pool.on('connect', (client) => {
    type Callback = (error: Error | null, result: pg.QueryArrayResult) => void;
    const query = client.query.bind(client) as (config: pg.QueryArrayConfig, callback: Callback) => void;
    Object.assign(client, {
      query: (config: pg.QueryArrayConfig, callback: Callback) =>
        query(config, (error, result) => {
          if (error === null && result.fields.some((field) => field.name === 'withheld_bytes')) {
            const payload = result.fields.findIndex((field) => field.name === 'payload');
            pages.push(result.rows.map((row) => row[payload] as string | null));
          }
          callback(error, result);
        }),
    });
  });
  return pages;
}

const sentBytes = (page: (string | null)[]): number => page.reduce((sum, text) => sum + (text === null ? 0 : Buffer.byteLength(text)), 0);

describe('pages bounded by bytes', () => {
  it('read every event, in order and from any from, when pages end by bytes before they end by count', async () => {
    const store = await migratedStore(schema, { readPageSize: 100, readPageBytes: 100 });
    stores.push(store);
    // Stored sizes 30 to 122 bytes: pages of one to three events, and events bigger than a page on their own.
    const payloads = Array.from({ length: 25 }, (_, i) => 'x'.repeat(28 + ((i * 37) % 93)));
    for (const payload of payloads) await store.append('s', payload);
    for (const from of [0, 1, 2, 7, 24, 25]) {
      const seen: { seq: number; payload: unknown }[] = [];
      for await (const event of store.events('s', from)) seen.push(event);
      expect(seen.map((event) => event.seq)).toEqual(payloads.map((_, i) => i + 1).slice(from));
      expect(seen.map((event) => event.payload)).toEqual(payloads.slice(from));
    }
  });

  it('send a page’s first payload and at most readPageBytes of the others per query, and ask once per page for payloads of one size', async () => {
    const pool = newPool();
    const pages = recordPages(pool);
    const store = new PostgresEventStore(pool, { schema, readPageSize: 100, readPageBytes: 3000 });
    stores.push(store);
    // Everything a page query sent but its first payload fits the budget.
    const withinBudget = (page: (string | null)[]): void => expect(sentBytes(page.slice(1))).toBeLessThanOrEqual(3000);
    try {
      // Stored as 300 bytes each (a JSON string of 298 characters).
      const even = Array.from({ length: 300 }, (_, i) => `${i}`.padEnd(298, 'x'));
      await store.appendMany('even', even);
      const seen = [];
      for await (const { payload } of store.events('even')) seen.push(payload);
      expect(seen).toEqual(even);
      // A page of 100 lets each payload 30 bytes: the first is sent, the second withheld and the page ends.
      // From then on pages of 8 (room for payloads a quarter larger than 300 bytes): 37 of them and the last 3.
      expect(pages.map((page) => page.length)).toEqual([100, ...Array(37).fill(8), 3]);
      expect(pages[0]?.filter((text) => text !== null)).toHaveLength(1);
      for (const page of pages) withinBudget(page);

      pages.length = 0;
      const mixed = [...Array(40).fill('s'), 'L'.repeat(5000), 'm'.repeat(900), 'L'.repeat(7000), ...Array(40).fill('t')];
      await store.appendMany('mixed', mixed);
      const read = [];
      for await (const { payload } of store.events('mixed')) read.push(payload);
      expect(read).toEqual(mixed);
      for (const page of pages) withinBudget(page);
      // The two events larger than the budget were each sent first in their page.
      expect(pages.filter((page) => page.some((text) => text?.startsWith('"L'))).map((page) => page[0]?.slice(0, 2))).toEqual(['"L', '"L']);
      // Never twice the query for a page: each page of events took one query.
      expect(pages.every((page) => page[0] !== null)).toBe(true);
    } finally {
      await store.close();
      await pool.end();
    }
  });

  it('accept any readPageBytes, however large, as a byte budget', async () => {
    const store = await migratedStore(schema, { readPageSize: 2, readPageBytes: Number.MAX_SAFE_INTEGER });
    stores.push(store);
    await store.appendMany('unbounded', [1, 2, 3]);
    const read = [];
    for await (const { payload } of store.events('unbounded')) read.push(payload);
    expect(read).toEqual([1, 2, 3]);
    const fed = [];
    for await (const { payload } of store.feed(undefined, { prefix: 'unbounded' })) fed.push(payload);
    expect(fed).toEqual([1, 2, 3]);
  });

  it('store each payload’s size as text on insert, whoever writes it', async () => {
    const store = await migratedStore(schema);
    stores.push(store);
    await store.append('sized', { name: 'é', list: [1, 2] });
    const text = ' { "written" : "by hand, with spaces and ü" } ';
    await admin(`INSERT INTO "${schema}".hume_events (stream, seq, payload) VALUES ('by-hand', 1, $1::json)`, [text]);
    const rows = await admin<{ stream: string; payload_bytes: number }>(
      `SELECT stream, payload_bytes FROM "${schema}".hume_events WHERE stream IN ('sized', 'by-hand') ORDER BY stream`,
    );
    expect(rows).toEqual([
      { stream: 'by-hand', payload_bytes: Buffer.byteLength(text) },
      { stream: 'sized', payload_bytes: Buffer.byteLength(JSON.stringify({ name: 'é', list: [1, 2] })) },
    ]);
  });

  it('keep a read of one event of a stream of large payloads within a few payloads of memory', { timeout: 180_000 }, async () => {
    const store = await migratedStore(schema);
    stores.push(store);
    const payload = 'x'.repeat(8 * MiB);
    for (let i = 0; i < 20; i++) await store.append('big', payload);
    const worker = fileURLToPath(new URL('./fixtures/read-one-worker.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [worker, databaseUrl, schema, 'big'], { timeout: 120_000 });
    const report = JSON.parse(stdout) as { first: { seq: number; length: number }; baselineRssBytes: number; maxRssBytes: number };
    expect(report.first).toEqual({ seq: 1, length: 8 * MiB });
    // A page of 1000 events would hold all 160 MiB (twice, as text and parsed); a page of one event and one read ahead hold about 40 MiB.
    const grew = report.maxRssBytes - report.baselineRssBytes;
    expect(grew, `peak RSS grew by ${(grew / MiB).toFixed(0)} MiB`).toBeLessThan(100 * MiB);
  });
});
