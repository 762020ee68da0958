import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { startPostgres } from '../packages/postgres/scripts/postgres-server.mjs';
const server = await startPostgres({});
const store = getPostgreSQLEventStore(server.url);
await store.schema.migrate();
const EVENTS = Number(process.argv[2] ?? 100000), STREAMS = 100;
const payload = { type: 'item-added', sku: 'sku-123', quantity: 2, price: { amount: 1999, currency: 'EUR' } };
let t = performance.now();
for (let s = 0; s < STREAMS; s++) await store.appendToStream(`f-${s}`, Array.from({ length: EVENTS / STREAMS }, () => ({ type: 'ItemAdded', data: payload })));
console.log('fill', (performance.now() - t).toFixed(0), 'ms');
const pool = new pg.Pool({ connectionString: server.url, max: 1 });
const execute = { query: (sql) => pool.query(typeof sql === 'string' ? sql : String(sql)) };
for (let round = 0; round < 3; round++) {
  let read = 0; t = performance.now();
  for (let after = undefined; ; ) {
    const batch = await readMessagesBatch(execute, after === undefined ? { from: 0n, batchSize: 1000 } : { after, batchSize: 1000 });
    for (const m of batch.messages) if (m.data !== null) read++;
    after = batch.currentGlobalPosition;
    if (!batch.areMessagesLeft) break;
  }
  console.log('readMessagesBatch', read, ((performance.now() - t) * 1000 / EVENTS).toFixed(2), 'µs/event');
}
await pool.end(); await store.close(); await server.stop();
