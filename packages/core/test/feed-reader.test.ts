import { checkFeed, type FeedEvent, FeedNotifier, FeedReader, type FeedSource } from '@hume/core';
import { describe, expect, it } from 'vitest';

/** An in-memory feed source over `log`, positions '01', '02', … */
function source(log: FeedEvent[], notifier = new FeedNotifier()): FeedSource<unknown> & { reads: number } {
  const result = {
    reads: 0,
    readPage(after: string | undefined, limit: number) {
      result.reads++;
      const start = after === undefined ? 0 : Number(after);
      return log.slice(start, start + limit);
    },
    version: () => notifier.version,
    waitForChange: (seen: number, signal: AbortSignal | undefined) => notifier.wait(seen, signal),
  };
  return result;
}

const event = (n: number): FeedEvent => ({ position: String(n).padStart(2, '0'), stream: `s${n % 3}`, seq: n, payload: n });

async function take(reader: AsyncIterator<FeedEvent<unknown>>, count: number): Promise<number[]> {
  const seqs: number[] = [];
  while (seqs.length < count) {
    const result = await reader.next();
    if (result.done) break;
    seqs.push(result.value.seq);
  }
  return seqs;
}

describe('FeedReader', () => {
  it('reads every event after `after` across pages, then ends, reporting caught up once', async () => {
    const log = Array.from({ length: 7 }, (_, i) => event(i + 1));
    const caughtUp: (string | undefined)[] = [];
    const reader = new FeedReader(source(log), '02', 2, { onCaughtUp: (p) => caughtUp.push(p) });
    const seqs: number[] = [];
    for await (const { seq } of reader) seqs.push(seq);
    expect(seqs).toEqual([3, 4, 5, 6, 7]);
    expect(caughtUp).toEqual(['07']);
  });

  it('does not end at a short page: only an empty page means caught up', async () => {
    const log = Array.from({ length: 5 }, (_, i) => event(i + 1));
    const src = source(log);
    const shortPages = { ...src, readPage: (after: string | undefined, limit: number) => src.readPage(after, Math.min(limit, 1)) };
    const seqs: number[] = [];
    for await (const { seq } of new FeedReader(shortPages, undefined, 3)) seqs.push(seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it('live: waits without reading until notified, then yields the new event', async () => {
    const log = [event(1)];
    const notifier = new FeedNotifier();
    const src = source(log, notifier);
    const stop = new AbortController();
    const caughtUp: (string | undefined)[] = [];
    const reader = new FeedReader(src, undefined, 10, { live: true, signal: stop.signal, onCaughtUp: (p) => caughtUp.push(p) });
    expect(await take(reader, 1)).toEqual([1]);
    const pending = reader.next();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const readsWhileIdle = src.reads;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(src.reads).toBe(readsWhileIdle); // no polling while idle
    expect(caughtUp).toEqual(['01']);
    log.push(event(2));
    notifier.notify();
    expect((await pending).value?.seq).toBe(2);
    stop.abort();
    expect(await reader.next()).toEqual({ done: true, value: undefined });
    expect(notifier.waiting).toBe(0);
  });

  it('a notify between the page read and the wait is not lost', async () => {
    const log: FeedEvent[] = [];
    const notifier = new FeedNotifier();
    const src = source(log, notifier);
    const racing = {
      ...src,
      readPage(after: string | undefined, limit: number) {
        const page = src.readPage(after, limit);
        if (log.length === 0) {
          log.push(event(1)); // committed after this page was read…
          notifier.notify(); // …and announced before the reader waits
        }
        return page;
      },
    };
    const reader = new FeedReader(racing, undefined, 10, { live: true });
    expect((await reader.next()).value?.seq).toBe(1);
    await reader.return();
  });

  it('abort while waiting resolves the pending next() as done and unregisters the wait', async () => {
    const notifier = new FeedNotifier();
    const stop = new AbortController();
    const reader = new FeedReader(source([], notifier), undefined, 10, { live: true, signal: stop.signal });
    const pending = reader.next();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(notifier.waiting).toBe(1);
    stop.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(notifier.waiting).toBe(0);
  });

  it('return() while waiting ends the wait too', async () => {
    const notifier = new FeedNotifier();
    const reader = new FeedReader(source([], notifier), undefined, 10, { live: true });
    const pending = reader.next();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await reader.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(notifier.waiting).toBe(0);
  });

  it('an already aborted signal yields nothing', async () => {
    const reader = new FeedReader(source([event(1)]), undefined, 10, { live: true, signal: AbortSignal.abort() });
    expect(await reader.next()).toEqual({ done: true, value: undefined });
  });

  it('rejects the first next() with the failure given, then is done', async () => {
    const invalid = checkFeed(42, undefined, () => true);
    const reader = new FeedReader(source([event(1)]), undefined, 10, {}, invalid);
    await expect(reader.next()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'after' });
    expect(await reader.next()).toEqual({ done: true, value: undefined });
  });

  it('overlapping next() calls get the events in order', async () => {
    const log = Array.from({ length: 5 }, (_, i) => event(i + 1));
    const src = source(log);
    const slow = { ...src, readPage: async (after: string | undefined, limit: number) => src.readPage(after, limit) };
    const reader = new FeedReader(slow, undefined, 2);
    const results = await Promise.all(Array.from({ length: 6 }, () => reader.next()));
    expect(results.map((r) => (r.done ? 'done' : r.value.seq))).toEqual([1, 2, 3, 4, 5, 'done']);
  });
});

describe('checkFeed', () => {
  const isPosition = (p: string) => /^\d{2}$/.test(p);
  it.each([
    ['12', undefined, undefined],
    [undefined, { prefix: 'cart-', live: true, signal: new AbortController().signal, onCaughtUp: () => {} }, undefined],
    [undefined, { prefix: '' }, undefined],
    ['x', undefined, 'after must be undefined or a position this store gave, as it gave it (got "x")'],
    [null, undefined, 'after must be undefined or a position this store gave, as it gave it (got null)'],
    [undefined, 'live', 'options must be undefined or an object (got "live")'],
    [undefined, { lve: true }, 'options has no field "lve" (known: prefix, live, signal, onCaughtUp)'],
    [undefined, { live: 1 }, 'options.live must be a boolean (got 1)'],
    [undefined, { prefix: 3 }, 'options.prefix must be a string (got 3)'],
    [undefined, { prefix: 'a\0' }, expect.stringContaining('options.prefix must be well-formed, without U+0000')],
    [undefined, { signal: {} }, 'options.signal must be an AbortSignal (got an object)'],
    [undefined, { onCaughtUp: true }, 'options.onCaughtUp must be a function (got true)'],
  ])('checkFeed(%j, %j)', (after, options, message) => {
    expect(checkFeed(after, options, isPosition)?.message).toEqual(message);
  });
  it('readAhead: asks for the next page when a full page arrives, yields the same events, and rejects the next() that needs a failed page', async () => {
    const log = Array.from({ length: 7 }, (_, i) => event(i + 1));
    const src = source(log);
    const reader = new FeedReader(src, undefined, 3, { readAhead: true });
    expect(await take(reader, 1)).toEqual([1]);
    expect(src.reads).toBe(2); // the page after 1–3 is on its way before 2 is taken
    expect(await take(reader, 10)).toEqual([2, 3, 4, 5, 6, 7]);
    const failing = {
      ...src,
      readPage: (after: string | undefined, limit: number) =>
        after === '03' ? Promise.reject(new Error('lost')) : src.readPage(after, limit),
    };
    const broken = new FeedReader(failing, undefined, 3, { readAhead: true });
    expect(await take(broken, 3)).toEqual([1, 2, 3]);
    await expect(broken.next()).rejects.toThrow('lost');
    const dropped = new FeedReader(failing, undefined, 3, { readAhead: true });
    expect(await take(dropped, 1)).toEqual([1]);
    await dropped.return();
    await new Promise((resolve) => setTimeout(resolve, 10)); // an unhandled rejection would fail the run
  });
});
