import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { startPostgres } from '../packages/postgres/scripts/postgres-server.mjs';
const server = await startPostgres({});
const store = getPostgreSQLEventStore(server.url);
await store.schema.migrate();
const EVENTS = Number(process.argv[2] ?? 100000), STREAMS = 100;
const payload = { type: 'item-added', sku: 'sku-123', quantity: 2, price: { amount: 1999, currency: 'EUR' } };
let t = performance.now();
const per = EVENTS / STREAMS;
for (let s = 0; s < STREAMS; s++) {
  const events = Array.from({ length: per }, () => ({ type: 'ItemAdded', data: payload }));
  await store.appendToStream(`f-${s}`, events);
}
console.log('fill', (performance.now() - t).toFixed(0), 'ms');
for (let round = 0; round < 3; round++) {
  let read = 0;
  t = performance.now();
  const consumer = store.consumer({ stopWhen: { noMessagesLeft: true }, pulling: { batchSize: 1000 } });
  consumer.reactor({ processorId: `bench-${round}-${Date.now()}`, startFrom: 'BEGINNING', eachMessage: async (m) => { if (m.data !== null) read++; } });
  await consumer.start();
  await consumer.close();
  console.log('consumer', read, ((performance.now() - t) * 1000 / EVENTS).toFixed(2), 'µs/event');
}
await store.close(); await server.stop();
