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

  it('ends a read on return(), even while a page is on its way, and holds no connection once the pages on their way arrived', async () => {
    const iterator = store.events('five')[Symbol.asyncIterator]();
    const first = iterator.next();
    await iterator.return?.();
    expect(await first).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    for (const _ of range(1, 50)) {
      for await (const event of store.events('five')) if (event.seq === 1) break;
    }
    // A page of two is read ahead at its first event: each abandoned read holds a connection until that page arrives.
    await until(() => pool.totalCount - pool.idleCount === 0);
  });

  it('asks for the next page once half of a page is taken, and gives its connection back when a read stopped before it arrived', async () => {
    const reader = new PostgresEventStore(pool, { schema, readPageSize: 4 });
    let acquired = 0;
    const count = (): void => {
      acquired++;
    };
    pool.on('acquire', count);
    try {
      const iterator = reader.events('five')[Symbol.asyncIterator]();
      expect((await iterator.next()).value?.seq).toBe(1);
      const firstPage = acquired;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(acquired).toBe(firstPage); // one of four taken: not yet
      expect((await iterator.next()).value?.seq).toBe(2); // two of four: the page after it is asked for now
      await iterator.return?.(); // before any I/O: that page is still on its way
      await until(() => acquired === firstPage + 1);
      await until(() => pool.totalCount - pool.idleCount === 0);
      expect(acquired).toBe(firstPage + 1);
    } finally {
      pool.off('acquire', count);
    }
    const seqs = [];
    for await (const event of reader.events('five', 1)) seqs.push(event.seq);
    expect(seqs).toEqual([2, 3, 4, 5]);
  });

  it('ends a read with CLOSED when the page it asked for ahead arrives after close()', async () => {
    const own = newPool({ max: 2 });
    const reader = new PostgresEventStore(own, { schema, readPageSize: 2 });
    try {
      const iterator = reader.events('five')[Symbol.asyncIterator]();
      expect((await iterator.next()).value?.seq).toBe(1); // a page of two: the next is asked for at once
      await reader.close();
      expect((await iterator.next()).value?.seq).toBe(2); // still in hand
      await expect(iterator.next()).rejects.toMatchObject({ code: 'CLOSED' });
    } finally {
      await own.end();
    }
  });

  it('hands out fresh objects: changing an event read does not change the next read', async () => {
    for await (const event of store.events('five')) (event.payload as { i: number }).i = -1;
    const again = [];
    for await (const event of store.events('five')) again.push(event.payload);
    expect(again).toEqual(range(1, 5).map((i) => ({ i })));
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
