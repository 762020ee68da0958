import { MemoryEventStore } from '@hume/memory';
import { describe, expect, it } from 'vitest';

describe('MemoryEventStore', () => {
  it('hands out deep-frozen events', async () => {
    const store = new MemoryEventStore();
    await store.append('s', { nested: { list: [1] } });
    for await (const event of store.events('s')) {
      expect(Object.isFrozen(event)).toBe(true);
      expect(Object.isFrozen((event.payload as { nested: { list: number[] } }).nested.list)).toBe(true);
    }
  });

  it('reads events appended between two pages of a read in progress', async () => {
    const store = new MemoryEventStore({ pageSize: 2 });
    for (let i = 0; i < 3; i++) await store.append('s', i);
    const seen: number[] = [];
    for await (const event of store.events('s')) {
      seen.push(event.seq);
      if (event.seq === 2) await store.append('s', 3);
    }
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('refuses a page size that is not a positive integer', () => {
    expect(() => new MemoryEventStore({ pageSize: 0 })).toThrow('pageSize must be a positive integer (got 0)');
  });

  it('refuses an unknown option with a TypeError naming it', () => {
    expect(() => new MemoryEventStore({ bogus: 1 } as never)).toThrow(
      new TypeError('options.bogus is not an option (the options are: pageSize)'),
    );
    expect(() => new MemoryEventStore({ pagesize: 2 } as never)).toThrow(/did you mean pageSize\?/);
  });

  it('drops its events on close and rejects later calls with CLOSED', async () => {
    const store = new MemoryEventStore();
    await store.append('s', 1);
    await store.close();
    await expect(store.append('s', 2)).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(store.events('s')[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
