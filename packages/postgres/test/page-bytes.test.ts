import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PostgresEventStore } from '@hume/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseUrl, migratedStore, schemaName } from './database.js';

const schema = schemaName('page_bytes');
const MiB = 2 ** 20;
const stores: PostgresEventStore[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
});

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
