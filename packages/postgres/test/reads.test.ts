import { PostgresEventStore } from '@hume/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPool, range, schemaName } from './database.js';

const schema = schemaName('reads');
const pool = newPool({ max: 3 });
const store = new PostgresEventStore(pool, { schema, readPageSize: 2 });

beforeAll(async () => {
  await store.migrate();
  for (const i of range(1, 5)) await store.append('five', { i });
});
afterAll(async () => {
  await store.close();
  await pool.end();
});

describe('reads', () => {
  it('answers next() calls made before the previous one settled in order, across pages', async () => {
    const iterator = store.events('five')[Symbol.asyncIterator]();
    const results = await Promise.all(range(1, 7).map(() => iterator.next()));
    expect(results.map((result) => (result.done ? 'done' : result.value.seq))).toEqual([1, 2, 3, 4, 5, 'done', 'done']);
  });

  it('ends a read on return(), even while a page is on its way, and holds no connection afterwards', async () => {
    const iterator = store.events('five')[Symbol.asyncIterator]();
    const first = iterator.next();
    await iterator.return?.();
    expect(await first).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    for (const _ of range(1, 50)) {
      for await (const event of store.events('five')) if (event.seq === 1) break;
    }
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it('hands out fresh objects: changing an event read does not change the next read', async () => {
    for await (const event of store.events('five')) (event.payload as { i: number }).i = -1;
    const again = [];
    for await (const event of store.events('five')) again.push(event.payload);
    expect(again).toEqual(range(1, 5).map((i) => ({ i })));
  });
});
