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
      new TypeError('options.bogus is not an option (the options are: pageSize, maxPayloadBytes)'),
    );
    expect(() => new MemoryEventStore({ pagesize: 2 } as never)).toThrow(/did you mean pageSize\?/);
  });

  it('refuses payloads larger than maxPayloadBytes, 16 MiB by default, and stores nothing', async () => {
    const store = new MemoryEventStore({ maxPayloadBytes: 2 * 1024 * 1024 });
    const result = await store.append('s', 'x'.repeat(2 * 1024 * 1024));
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', argument: 'payload' } });
    expect(!result.ok && result.error.message).toMatch(/at most 2097152 bytes/);
    expect(await new MemoryEventStore().append('s', 'x'.repeat(2 * 1024 * 1024))).toEqual({ ok: true, seq: 1 });
    const huge = await new MemoryEventStore().append('s', '\u0001'.repeat(1e8));
    expect(!huge.ok && huge.error.message).toMatch(/at most 16777216 bytes/);
    expect(await store.append('s', 'fits', 0)).toEqual({ ok: true, seq: 1 });
  });

  it('refuses a maxPayloadBytes outside 2 MiB to the longest string', () => {
    expect(() => new MemoryEventStore({ maxPayloadBytes: 1024 })).toThrow(
      'maxPayloadBytes must be an integer from 2097152 (2 MiB) to 536870888 (got 1024)',
    );
  });

  it('appends a batch at contiguous seqs, all or nothing, and feeds its events in order', async () => {
    const store = new MemoryEventStore();
    await store.append('s', 'first');
    expect(await store.appendMany('s', ['a', 'b', 'c'], 1)).toEqual({ ok: true, first: 2, seq: 4 });
    expect(await store.appendMany('s', ['x', { at: new Date(0) } as never])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    expect(await store.appendMany('s', ['x'], 1)).toMatchObject({ ok: false, error: { code: 'UNEXPECTED_SEQ', actual: 4 } });
    const fed = [];
    for await (const { stream, seq, payload } of store.feed()) fed.push([stream, seq, payload]);
    expect(fed).toEqual([
      ['s', 1, 'first'],
      ['s', 2, 'a'],
      ['s', 3, 'b'],
      ['s', 4, 'c'],
    ]);
  });

  it('drops its events on close and rejects later calls with CLOSED', async () => {
    const store = new MemoryEventStore();
    await store.append('s', 1);
    await store.close();
    await expect(store.append('s', 2)).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(store.events('s')[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
