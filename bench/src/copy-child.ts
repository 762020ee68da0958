// One copy SQLite → PostgreSQL in a process of its own, which prints its peak
// RSS as one JSON line, so each way of copying is timed and measured alone:
//   node dist/copy-child.js hume <sqlite file> <postgres url with ?schema=> <prefix>
//   node dist/copy-child.js raw  <sqlite file> <postgres url> <table> <prefix>
import { main } from '@hume/cli';
import Database from 'better-sqlite3';
import pg from 'pg';

const [mode, file = '', url = '', ...rest] = process.argv.slice(2);
let events = 0;
if (mode === 'hume') {
  const prefix = rest[0] ?? '';
  const code = await main(['copy', `sqlite:${file}`, url, '--prefix', prefix, '--progress', 'none', '--json'], {
    stdout: {
      write: (text: string) => {
        events = JSON.parse(text).copied as number;
        return true;
      },
    } as never,
  });
  if (code !== 0) throw new Error(`hume copy exited with ${code}`);
} else if (mode === 'raw') {
  const [table = '', prefix = ''] = rest;
  // The raw way: better-sqlite3 reads the rows in key order, pg inserts them 1,000 rows per statement, one statement at a time.
  const db = new Database(file, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = db
    .prepare('SELECT stream, seq, payload FROM hume_events WHERE stream >= ? AND stream < ? ORDER BY stream, seq')
    .raw(true)
    .iterate(prefix, `${prefix}\u{10FFFF}`) as IterableIterator<[string, number, string]>;
  const batch: unknown[] = [];
  const flush = async (): Promise<void> => {
    const count = batch.length / 3;
    const values = Array.from({ length: count }, (_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}::json)`).join(', ');
    await client.query(`INSERT INTO ${table} (stream, seq, payload) VALUES ${values}`, batch);
    events += count;
    batch.length = 0;
  };
  for (const [stream, seq, payload] of rows) {
    batch.push(stream, seq, payload);
    if (batch.length === 3_000) await flush();
  }
  if (batch.length > 0) await flush();
  await client.end();
  db.close();
} else {
  throw new Error(`mode must be hume or raw (got ${String(mode)})`);
}
process.stdout.write(`${JSON.stringify({ events, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
