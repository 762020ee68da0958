// One full read of a stream in a process of its own, so that its peak RSS is its own:
//   node dist/postgres-read-rss.js raw|adapter|emmett DATABASE_URL SCHEMA STREAM
// Prints { events, baselineMiB, peakMiB } as JSON.
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { PostgresEventStore } from '@hume/postgres';
import pg from 'pg';

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
  for (let after = 0; ; ) {
    // As the raw read of the benchmark: array rows, text columns, JSON.parse of each payload.
    const { rows } = await pool.query<[string, string]>({
      name: 'raw-read-page',
      text: `SELECT seq, payload FROM "${schema}".hume_events WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT 1000`,
      values: [stream, after],
      rowMode: 'array',
      types: { getTypeParser: () => (text: string) => text },
    });
    for (const [seq, payload] of rows) {
      after = Number(seq);
      events += JSON.parse(payload) === undefined ? 0 : 1;
    }
    if (rows.length < 1000) break;
  }
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
