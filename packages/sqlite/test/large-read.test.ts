import { join } from 'node:path';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { spawnFixture } from './child-process.js';
import { tempDir } from './temp-dir.js';

// Slow (a million rows to write, then to read): run it with `pnpm --filter @hume/sqlite test:large`.
const enabled = process.env.HUME_SQLITE_LARGE === '1';
const events = 1_000_000;
// Made here, not in the test: tempDir registers the afterAll that removes it.
const dir = enabled ? tempDir('large') : '';

it.runIf(enabled)('reads a stream of a million events in bounded memory', { timeout: 600_000 }, async () => {
  const file = join(dir, 'large.db');
  await new SqliteEventStore(file).close();
  // Filled in one transaction straight into the table: appending a million times one by one would test appends, not reads.
  const db = new Database(file);
  const insert = db.prepare('INSERT INTO hume_events (stream, seq, payload) VALUES (?, ?, ?)');
  const padding = 'x'.repeat(200);
  db.transaction(() => {
    for (let n = 1; n <= events; n++) insert.run('big', n, JSON.stringify({ n, type: 'item-added', padding }));
  })();
  db.close();

  // The whole stream as objects would take well over 300 MB of heap; the reader gets 64 MB.
  const reader = spawnFixture('read-child.mjs', [file, 'big'], ['--max-old-space-size=64']);
  const { code, stderr } = await reader.exited;
  expect(code, stderr).toBe(0);
  const report = JSON.parse(reader.lines[0] ?? '{}') as { count: number; ordered: boolean; maxRssBytes: number };
  expect(report.count).toBe(events);
  expect(report.ordered).toBe(true);
  expect(report.maxRssBytes).toBeLessThan(160 * 1024 * 1024);
  console.log(`read ${events.toLocaleString('en-US')} events with a peak RSS of ${(report.maxRssBytes / 2 ** 20).toFixed(0)} MiB`);
});
