// Reads a stream in a process of its own and reports its peak RSS, so that
// each way of reading is measured alone: `node dist/sqlite-read-rss.js
// <open|raw|adapter|emmett> <file> <stream> <pageSize>` prints one JSON line.
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { readRawPages } from './sqlite-raw.js';

const [mode, file = '', stream = '', pageSize = '512'] = process.argv.slice(2);
let events = 0;
let checksum = 0;
if (mode === 'raw') {
  const db = new Database(file);
  events = readRawPages(db, stream, Number(pageSize), Number.POSITIVE_INFINITY, (event) => {
    checksum += event.seq;
  });
  db.close();
} else if (mode === 'adapter') {
  const store = new SqliteEventStore(file, { pageSize: Number(pageSize) });
  for await (const event of store.events(stream)) {
    events++;
    checksum += event.seq;
  }
  await store.close();
} else if (mode === 'emmett') {
  // Emmett's readStream returns the whole stream as one array: its public API has no lazy read of a stream.
  // Imported here only: it loads sqlite3, whose native module pnpm install leaves unbuilt (src/native-peers.ts).
  const { getSQLiteEventStore, sqliteConnection } = await import('@event-driven-io/emmett-sqlite');
  const connection = sqliteConnection({ fileName: file });
  const store = getSQLiteEventStore({ fileName: file, connectionOptions: { singleton: true, connection } });
  const { events: all } = await store.readStream(stream);
  for (const event of all) {
    events++;
    checksum += Number(event.metadata.streamPosition);
  }
  connection.close();
} else {
  // 'open': the same modules loaded and the file opened, nothing read: the floor both reads stand on.
  await new SqliteEventStore(file).close();
}
process.stdout.write(`${JSON.stringify({ events, checksum, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
