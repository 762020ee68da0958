// One full read of a stream in a process of its own, so that its peak RSS is its own:
//   node dist/postgres-read-rss.js raw|adapter|emmett DATABASE_URL SCHEMA STREAM
// Prints { events, baselineMiB, peakMiB } as JSON.
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { PostgresEventStore } from '@hume/postgres';
import pg from 'pg';
import { readRawPages } from './postgres-raw-read.js';

const [mode, url, schema, stream] = process.argv.slice(2);
if ((mode !== 'raw' && mode !== 'adapter' && mode !== 'emmett') || !url || !schema || !stream) {
  throw new Error('usage: postgres-read-rss.js raw|adapter|emmett DATABASE_URL SCHEMA STREAM');
}
const pool = new pg.Pool({ connectionString: url, max: 1 });
await pool.query('SELECT 1');
const mib = (kib: number): number => Math.round((kib / 1024) * 10) / 10;
const baseline = process.resourceUsage().maxRSS;
let events = 0;
if (mode === 'raw') {
  events = await readRawPages(pool, `"${schema}".hume_events`, stream);
} else if (mode === 'emmett') {
  // Emmett's readStream returns the whole stream as one array: its public API has no lazy read of a stream.
  const store = getPostgreSQLEventStore(url);
  const { events: all } = await store.readStream(stream);
  for (const event of all) events += event.data === undefined ? 0 : 1;
  await store.close();
} else {
  const store = new PostgresEventStore(pool, { schema, readPageSize: 1000 });
  for await (const event of store.events(stream)) events += event.payload === undefined ? 0 : 1;
}
await pool.end();
console.log(JSON.stringify({ events, baselineMiB: mib(baseline), peakMiB: mib(process.resourceUsage().maxRSS) }));
