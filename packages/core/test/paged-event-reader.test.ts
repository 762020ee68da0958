import { cutPage, type Event, PagedEventReader } from '@hume/core';
import { describe, expect, it } from 'vitest';

const stream = (length: number): Event<number>[] => Array.from({ length }, (_, i) => ({ seq: i + 1, payload: i }));

/** A page reader over `events` that records the pages asked for, answering at once or after a tick. */
function reader(events: Event<number>[], later: boolean) {
  const asked: [number, number][] = [];
  const readPage = (after: number, limit: number) => {
    asked.push([after, limit]);
    const page = events.filter((e) => e.seq > after).slice(0, limit);
    return later ? new Promise<Event<number>[]>((resolve) => setTimeout(() => resolve(page), 1)) : page;
  };
  return { asked, readPage };
}

async function collect(iterable: AsyncIterable<Event<number>>): Promise<number[]> {
  const seqs: number[] = [];
  for await (const event of iterable) seqs.push(event.seq);
  return seqs;
}

describe.each([
  ['answering at once', false],
  ['answering later', true],
])('PagedEventReader, page reads %s', (_, later) => {
  it('reads page after page from the last seq yielded, and stops at the first short page', async () => {
    const { asked, readPage } = reader(stream(7), later);
    expect(await collect(new PagedEventReader(readPage, 1, 3))).toEqual([2, 3, 4, 5, 6, 7]);
    expect(asked).toEqual([
      [1, 3],
      [4, 3],
      [7, 3],
    ]);
  });

  it('goes on after a page cut short by its byte budget (cutPage), and stops at a short page that is not cut', async () => {
    const events = stream(7);
    const asked: number[] = [];
    // Pages of at most two events "by bytes", four by count: every page but the last is short and cut.
    const readPage = (after: number, limit: number) => {
      asked.push(after);
      const rest = events.filter((e) => e.seq > after).slice(0, limit);
      const page = rest.length > 2 ? cutPage(rest.slice(0, 2)) : rest;
      return later ? new Promise<typeof page>((resolve) => setTimeout(() => resolve(page), 1)) : page;
    };
    expect(await collect(new PagedEventReader(readPage, 0, 4))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(asked).toEqual([0, 2, 4, 6]);
    expect(await collect(new PagedEventReader(readPage, 0, 4, undefined, { readAhead: true }))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('asks once more after a full last page, and gets nothing', async () => {
    const { asked, readPage } = reader(stream(6), later);
    expect(await collect(new PagedEventReader(readPage, 0, 3))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(asked.map(([after]) => after)).toEqual([0, 3, 6]);
  });

  it('keeps order when next() calls overlap', async () => {
    const { readPage } = reader(stream(5), later);
    const events = new PagedEventReader(readPage, 0, 2);
    const results = await Promise.all(Array.from({ length: 7 }, () => events.next()));
    expect(results.map((r) => (r.done ? 'done' : r.value.seq))).toEqual([1, 2, 3, 4, 5, 'done', 'done']);
  });

  it('stops on return(), even with a page on its way', async () => {
    const { asked, readPage } = reader(stream(10), later);
    const events = new PagedEventReader(readPage, 0, 2);
    expect((await events.next()).value?.seq).toBe(1);
    expect((await events.next()).value?.seq).toBe(2);
    const pending = events.next();
    await events.return();
    const after = await pending;
    expect(later ? after.done : after.value?.seq).toBe(later ? true : 3);
    expect(await events.next()).toEqual({ done: true, value: undefined });
    expect(asked.length).toBe(2);
  });

  it('rejects the first next() with the failure it was given, and the page reader’s errors after', async () => {
    const failing = new PagedEventReader<number>(() => [], 0, 2, new Error('stream must be a non-empty string (got "")'));
    await expect(failing.next()).rejects.toThrow('stream must be a non-empty string');
    expect(await failing.next()).toEqual({ done: true, value: undefined });
    const broken = new PagedEventReader<number>(
      () => {
        throw new Error('disk I/O error');
      },
      0,
      2,
    );
    await expect(broken.next()).rejects.toThrow('disk I/O error');
  });
});

describe('PagedEventReader with readAhead', () => {
  it('reads the same pages in the same order, each asked for once half of the page before it is taken', async () => {
    const { asked, readPage } = reader(stream(7), true);
    const events = new PagedEventReader(readPage, 0, 4, undefined, { readAhead: true });
    expect((await events.next()).value?.seq).toBe(1);
    expect(asked.length).toBe(1);
    expect((await events.next()).value?.seq).toBe(2);
    expect(asked).toEqual([
      [0, 4],
      [4, 4],
    ]);
    expect(await collect(events)).toEqual([3, 4, 5, 6, 7]);
    expect(asked.length).toBe(2); // the second page was short: nothing more to ask for
  });

  it('asks ahead at the first event when a page holds one or two', async () => {
    for (const pageSize of [1, 2]) {
      const { asked, readPage } = reader(stream(5), true);
      const events = new PagedEventReader(readPage, 0, pageSize, undefined, { readAhead: true });
      expect((await events.next()).value?.seq).toBe(1);
      expect(asked).toEqual([
        [0, pageSize],
        [pageSize, pageSize],
      ]);
      expect(await collect(events)).toEqual([2, 3, 4, 5]);
    }
  });

  it('keeps order when next() calls overlap', async () => {
    for (const pageSize of [1, 2, 3]) {
      const { readPage } = reader(stream(7), true);
      const events = new PagedEventReader(readPage, 0, pageSize, undefined, { readAhead: true });
      const results = await Promise.all(Array.from({ length: 9 }, () => events.next()));
      expect(results.map((r) => (r.done ? 'done' : r.value.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 'done', 'done']);
    }
  });

  it('drops the page asked for ahead when the read stops first, and never reports its failure', async () => {
    let calls = 0;
    const readPage = (after: number, limit: number) => {
      calls++;
      if (calls === 2) return Promise.reject(new Error('connection terminated'));
      return Promise.resolve(
        stream(10)
          .filter((e) => e.seq > after)
          .slice(0, limit),
      );
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const events = new PagedEventReader(readPage, 0, 2, undefined, { readAhead: true });
      for await (const event of events) if (event.seq === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(calls).toBe(2);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('rejects the next() that needs a page asked for ahead when that page failed, then ends', async () => {
    let calls = 0;
    const readPage = (after: number, limit: number) => {
      calls++;
      if (calls === 2) throw new Error('disk I/O error');
      return Promise.resolve(
        stream(10)
          .filter((e) => e.seq > after)
          .slice(0, limit),
      );
    };
    const events = new PagedEventReader(readPage, 0, 2, undefined, { readAhead: true });
    expect((await events.next()).value?.seq).toBe(1);
    expect((await events.next()).value?.seq).toBe(2);
    await expect(events.next()).rejects.toThrow('disk I/O error');
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });
});
