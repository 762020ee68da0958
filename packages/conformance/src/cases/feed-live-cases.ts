import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { assert, assertEqual, describeError, show } from '../assertions.js';
import { runChildren, withChildren } from '../child-processes.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { checkItem, type FeedItem, feedOf, keys, readFeed } from '../feed-calls.js';
import { appendOk } from '../store-calls.js';
import type { AnyEventStore } from '../target.js';

/** How soon after close() resolves the live feeds that waited must have ended. */
const CLOSE_ENDS_FEEDS_MS = 2_000;

/** How long a waiting live feed may take to yield an event another process appended. */
const CROSS_PROCESS_WAKE_MS = 10_000;
/** How soon a waiting live feed's pending next() must resolve done once its signal aborts or return() is called. */
const END_WITHIN_MS = 2_000;
/** How long the idle case watches a waiting live feed, and the share of that time its thread may be busy. */
const IDLE_WATCH_MS = 2_000;
const IDLE_MAX_UTILIZATION = 0.2;
/** How long a live feed whose connection dropped may take to yield the next event (a store may poll until it listens again). */
const AFTER_INTERRUPT_WAKE_MS = 15_000;

/** A live feed the case drives by hand: each `take()` waits for the next event. */
function liveFeed(store: AnyEventStore, after: string | undefined, prefix: string) {
  const stop = new AbortController();
  const caughtUp: (string | undefined)[] = [];
  let wakeCaughtUp: (() => void) | undefined;
  const iterator = feedOf(store)(after, {
    live: true,
    signal: stop.signal,
    prefix,
    onCaughtUp: (position) => {
      caughtUp.push(position);
      wakeCaughtUp?.();
    },
  })[Symbol.asyncIterator]();
  let previous = after;
  return {
    stop,
    caughtUp,
    iterator,
    /** The next event; fails on the end of the feed or a rejection. */
    async take(what: string): Promise<FeedItem> {
      let result: IteratorResult<unknown>;
      try {
        result = await iterator.next();
      } catch (error) {
        throw new ConformanceFailure(`${what}: the live feed rejected: ${describeError(error)}`);
      }
      assert(!result.done, `${what}: the live feed ended, but it should wait for new events until its signal aborts (C13.7)`);
      const item = checkItem(result.value, previous, what);
      previous = item.position;
      return item;
    },
    /** Resolves once onCaughtUp has been called `count` times. */
    async caughtUpTimes(count: number): Promise<void> {
      while (caughtUp.length < count) await new Promise<void>((resolve) => (wakeCaughtUp = resolve));
    },
  };
}

/** C13.7, C13.8: live feeds, their end, and the caught-up signal. */
export const feedLiveCases = defineCases([
  {
    id: 'C13.7-a-live-feed-yields-events-appended-after-it-caught-up',
    level: 'MUST',
    title:
      'a live feed catches up, waits, yields each new event as it is acknowledged, and ends when its signal aborts; a feed resumed from its last position yields only what came after',
    hint: 'check that the live feed is woken by commits (a notification after commit, or a cheap change counter) and re-reads after its last position',
    needs: ['feed'],
    async run({ store, stream }) {
      const base = stream('feed');
      for (let i = 1; i <= 3; i++) await appendOk(store, `${base}:a`, { i });
      const live = liveFeed(store, undefined, `${base}:`);
      const caughtUpAt = (await live.take('event 1')).position;
      await live.take('event 2');
      const third = await live.take('event 3');
      const next = live.iterator.next(); // waits: nothing new yet
      next.catch(() => undefined); // awaited below
      await live.caughtUpTimes(1);
      assertEqual(live.caughtUp, [third.position], 'onCaughtUp calls after catching up');
      await appendOk(store, `${base}:b`, { i: 4 });
      let result: IteratorResult<unknown>;
      try {
        result = await next;
      } catch (error) {
        throw new ConformanceFailure(`the live feed rejected while waiting: ${describeError(error)}`);
      }
      assert(!result.done, 'the live feed ended instead of yielding the event appended after it caught up (C13.7)');
      const fourth = checkItem(result.value, third.position, 'the event appended after the catch-up');
      assertEqual(`${fourth.stream} ${fourth.seq}`, `${base}:b 1`, 'the event yielded after the catch-up');
      const [a, b] = await Promise.all([live.take('event 5'), appendOk(store, `${base}:a`, { i: 5 })]);
      assertEqual(`${a.stream} ${a.seq} ${b}`, `${base}:a 4 4`, 'the event appended while the feed waited');
      const pending = live.iterator.next();
      live.stop.abort();
      const ended = await pending;
      assertEqual(ended.done, true, 'the pending next() of a live feed whose signal aborted is done');
      assert(caughtUpAt < a.position, 'positions ascend across the wait');
      assertEqual(
        await readFeed(store, a.position, { prefix: `${base}:` }, 'the feed resumed from the last position'),
        [],
        'events after the last position',
      );
      await appendOk(store, `${base}:a`, { i: 6 });
      assertEqual(
        keys(await readFeed(store, a.position, { prefix: `${base}:` }, 'the feed resumed after one more append')),
        [`${base}:a 5`],
        'events after the last position, one more appended',
      );
    },
  },
  {
    id: 'C13.7-live-feeds-see-appends-through-another-instance',
    level: 'MUST',
    title: 'a waiting live feed yields an event appended through another instance on the same data',
    hint: "check that a live feed is woken by commits of other connections and processes too (LISTEN/NOTIFY, PRAGMA data_version on a timer), not only by this instance's appends",
    needs: ['feed', 'reopen'],
    async run({ store, stream, reopen }) {
      const base = stream('feed');
      const other = await reopen();
      const live = liveFeed(store, undefined, `${base}:`);
      const pending = live.take('the event appended through another instance');
      pending.catch(() => undefined); // awaited below
      await live.caughtUpTimes(1);
      await appendOk(other, `${base}:x`, 'from another instance');
      const item = await pending;
      assertEqual(`${item.stream} ${item.seq}`, `${base}:x 1`, 'the event yielded');
      live.stop.abort();
    },
  },
  {
    id: 'C13.7-live-feeds-see-appends-from-another-process',
    level: 'MUST',
    title:
      'a waiting live feed yields, in order, the events a child process appends on the same data while it waits, after another live feed of the store stopped waiting',
    hint: "check that a live feed is woken by other processes' commits (LISTEN/NOTIFY, PRAGMA data_version on a timer), not only by this process's appends",
    needs: ['feed', 'share'],
    async run({ store, stream, share }) {
      const base = stream('feed');
      const shared = await share();
      const live = liveFeed(store, undefined, `${base}:`);
      const first = live.take('the first event appended by the child process');
      first.catch(() => undefined); // awaited below
      await live.caughtUpTimes(1);
      // A second live feed that stops waiting first: its end must not deafen the one still waiting
      // (a timer or listener shared by the store's live feeds, stopped by the first to leave).
      const quitter = liveFeed(store, undefined, `${base}:`);
      const quitterEnd = quitter.iterator.next();
      await quitter.caughtUpTimes(1);
      quitter.stop.abort();
      assertEqual((await quitterEnd).done, true, 'the second live feed ended by its signal is done');
      const payloads = [{ n: 0 }, { n: 1 }, { n: 2 }];
      await withChildren(async (start) => {
        await runChildren([start(shared, { kind: 'append', stream: `${base}:p`, payloads })]);
      });
      // Bounded, so that a feed deaf to other processes fails with its reason instead of the case timing out.
      let timer: NodeJS.Timeout | undefined;
      const deaf = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ConformanceFailure(
                `a waiting live feed did not yield, within ${CROSS_PROCESS_WAKE_MS} ms, an event another process appended (C13.7)`,
              ),
            ),
          CROSS_PROCESS_WAKE_MS,
        );
      });
      let items: FeedItem[];
      try {
        items = [await Promise.race([first, deaf]), await live.take('the second event'), await live.take('the third event')];
      } finally {
        clearTimeout(timer);
      }
      assertEqual(
        items.map((item) => `${item.stream} ${item.seq}`),
        [`${base}:p 1`, `${base}:p 2`, `${base}:p 3`],
        'the events yielded after the child appended',
      );
      assertEqual(
        items.map((item) => item.payload),
        payloads,
        'the payloads yielded',
      );
      live.stop.abort();
    },
  },
  {
    id: 'C13.7-a-waiting-live-feed-does-not-poll-busily',
    level: 'MUST',
    title: `a live feed caught up and waiting keeps its thread's event loop busy less than ${IDLE_MAX_UTILIZATION * 100} % of ${IDLE_WATCH_MS / 1000} s (no busy polling while idle), then yields the next event`,
    hint: 'check what a live feed does once it has caught up: it must wait for a wake-up (a notification, an in-process signal) or a timer of tens of milliseconds or more, never ask again at once or on setImmediate',
    needs: ['feed'],
    async run({ store, stream }) {
      const base = stream('feed');
      await appendOk(store, `${base}:a`, 1);
      const live = liveFeed(store, undefined, `${base}:`);
      await live.take('the event appended before the wait');
      const next = live.iterator.next();
      next.catch(() => undefined); // awaited below
      await live.caughtUpTimes(1);
      // The event loop's utilization is this thread's alone: other test files in other threads or processes do not count.
      const before = performance.eventLoopUtilization();
      await sleep(IDLE_WATCH_MS);
      const { utilization } = performance.eventLoopUtilization(before);
      assert(
        utilization < IDLE_MAX_UTILIZATION,
        `while a live feed waited with nothing to yield, the event loop was busy ${(utilization * 100).toFixed(0)} % of ${IDLE_WATCH_MS / 1000} s (at most ${IDLE_MAX_UTILIZATION * 100} %): the feed polls busily (C13.7)`,
      );
      await appendOk(store, `${base}:a`, 2);
      let result: IteratorResult<unknown>;
      try {
        result = await next;
      } catch (error) {
        throw new ConformanceFailure(`the live feed rejected after waiting idle: ${describeError(error)}`);
      }
      assert(!result.done, 'the live feed ended after waiting idle; it should yield the next event (C13.7)');
      const item = result.value as FeedItem;
      assertEqual(`${item.stream} ${item.seq}`, `${base}:a 2`, 'the event yielded after the idle wait');
      live.stop.abort();
    },
  },
  {
    id: 'C13.7-a-live-feed-outlives-a-dropped-connection',
    level: 'MUST',
    title:
      "a live feed waiting when the store's connections drop yields the events another instance appends afterwards (or rejects its next() with BACKEND, and a feed resumed from its last position yields them); it never waits for ever",
    hint: 'check that the live feed notices its listening connection dropped and listens again on a new one, polling meanwhile: a lost notification may cost latency, never an event',
    needs: ['feed', 'interrupt', 'reopen'],
    async run({ store, stream, interrupt, reopen }) {
      const base = stream('feed');
      // Appends through another instance: this store's own appends could wake its feeds in-process.
      const other = await reopen();
      await appendOk(store, `${base}:a`, 1);
      const live = liveFeed(store, undefined, `${base}:`);
      const first = await live.take('the event appended before the connection dropped');
      const next = live.iterator.next();
      next.catch(() => undefined); // awaited below
      await live.caughtUpTimes(1);
      await interrupt();
      // The append may meet a dropped connection too: appended with expect 0 to fresh streams, so
      // a retry after an unknown outcome can tell (a conflict with actual 1 means it was stored).
      let appended: string | undefined;
      for (let attempt = 1; appended === undefined; attempt++) {
        const name = `${base}:b${attempt}`;
        try {
          const result = await other.append(name, 'after the drop' as never, 0);
          if (result.ok || (result.error.code === 'UNEXPECTED_SEQ' && result.error.actual === 1)) appended = name;
          else throw new ConformanceFailure(`an append with expect 0 to a fresh stream resolved ${show(result)}`);
        } catch (error) {
          if (error instanceof ConformanceFailure || attempt >= 3) throw error;
          assertEqual((error as { code?: unknown })?.code, 'BACKEND', `code of an append after the drop (${describeError(error)})`);
        }
      }
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), AFTER_INTERRUPT_WAKE_MS);
      });
      let outcome: IteratorResult<unknown> | 'late' | { rejected: unknown };
      try {
        outcome = await Promise.race([next, deadline]);
      } catch (error) {
        outcome = { rejected: error };
      } finally {
        clearTimeout(timer);
      }
      live.stop.abort();
      if (outcome === 'late') {
        throw new ConformanceFailure(
          `a live feed waiting when the connection dropped had not yielded ${appended} 1, appended after the drop, ${AFTER_INTERRUPT_WAKE_MS / 1000} s later (C13.7): it stopped hearing of commits`,
        );
      }
      if ('rejected' in outcome) {
        assertEqual(
          (outcome.rejected as { code?: unknown })?.code,
          'BACKEND',
          `code of the rejection of a live feed whose connection dropped (${describeError(outcome.rejected)})`,
        );
        assertEqual(
          keys(await readFeed(store, first.position, { prefix: `${base}:` }, 'the feed resumed after the rejection')),
          [`${appended} 1`],
          'events after the last position yielded before the drop',
        );
        return;
      }
      assert(!outcome.done, 'a live feed whose connection dropped ended; it should go on waiting until its signal aborts (C13.7)');
      const item = checkItem(outcome.value, first.position, 'the event appended after the drop');
      assertEqual(`${item.stream} ${item.seq}`, `${appended} 1`, 'the event yielded after the drop');
    },
  },
  {
    id: 'C13.7-aborted-and-abandoned-live-feeds-release-the-store',
    level: 'MUST',
    title: `40 live feeds waiting at once, half ended by their signal and half by return(): every pending next() resolves done within ${END_WITHIN_MS / 1000} s and the store stays fully usable`,
    hint: 'check that a waiting feed listens to its signal, and that abort and return() remove its listener, timer or connection',
    needs: ['feed'],
    async run({ store, stream }) {
      const base = stream('feed');
      await appendOk(store, `${base}:a`, 1);
      const feeds = Array.from({ length: 40 }, () => liveFeed(store, undefined, `${base}:`));
      for (const [index, feed] of feeds.entries()) await feed.take(`the first event of live feed #${index}`);
      const pending = feeds.map((feed) => feed.iterator.next());
      for (const next of pending) next.catch(() => undefined); // settled below
      await Promise.all(feeds.map((feed) => feed.caughtUpTimes(1)));
      const endedAt = performance.now();
      for (const [index, feed] of feeds.entries()) {
        if (index % 2 === 0) feed.stop.abort();
        else await feed.iterator.return?.();
      }
      const ends = await Promise.allSettled(pending);
      const endMs = performance.now() - endedAt;
      assert(
        endMs < END_WITHIN_MS,
        `the pending next() of 40 live feeds took ${Math.round(endMs)} ms to resolve once their signals aborted or return() was called (at most ${END_WITHIN_MS} ms): a waiting feed must end when it is told to, not at its next timer (C13.7)`,
      );
      for (const [index, end] of ends.entries()) {
        assert(
          end.status === 'fulfilled' && end.value.done === true,
          `the pending next() of live feed #${index}, ended by ${index % 2 === 0 ? 'its signal' : 'return()'}, should resolve done (got ${end.status === 'fulfilled' ? show(end.value) : describeError(end.reason)})`,
        );
      }
      assertEqual(await appendOk(store, `${base}:a`, 2), 2, 'seq of an append after the live feeds ended');
      assertEqual(
        keys(await readFeed(store, undefined, { prefix: `${base}:` }, 'a feed after the live feeds ended')),
        [`${base}:a 1`, `${base}:a 2`],
        'the feed after the live feeds ended',
      );
    },
  },
  {
    id: 'C13.7-close-ends-waiting-live-feeds',
    level: 'MUST',
    title: `close() while live feeds wait: close() resolves, and within ${CLOSE_ENDS_FEEDS_MS} ms each pending next() settles (done, or rejected with CLOSED)`,
    hint: 'check that close() wakes and ends the feeds waiting on the store before releasing what they wait on',
    needs: ['feed', 'close'],
    async run({ store, stream }) {
      const base = stream('feed');
      await appendOk(store, `${base}:a`, 1);
      const feeds = Array.from({ length: 3 }, () => liveFeed(store, undefined, `${base}:`));
      for (const feed of feeds) await feed.take('the first event');
      const pending = feeds.map((feed) => feed.iterator.next());
      for (const next of pending) next.catch(() => undefined); // settled below
      await Promise.all(feeds.map((feed) => feed.caughtUpTimes(1)));
      await (store.close as () => Promise<void>)();
      // Promptly: a feed left to notice the close at its next poll keeps its caller waiting that long.
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([
        Promise.allSettled(pending),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), CLOSE_ENDS_FEEDS_MS);
        }),
      ]);
      clearTimeout(timer);
      if (ended === undefined) {
        throw new ConformanceFailure(
          `a live feed's pending next() was still pending ${CLOSE_ENDS_FEEDS_MS} ms after close() resolved: close() must end the feeds waiting on the store, not leave them to notice at their next look`,
        );
      }
      for (const end of ended) {
        const code = end.status === 'rejected' ? (end.reason as { code?: unknown })?.code : undefined;
        assert(
          (end.status === 'fulfilled' && end.value.done === true) || code === 'CLOSED',
          `a live feed's pending next() after close() should resolve done or reject with CLOSED (got ${end.status === 'fulfilled' ? show(end.value) : describeError(end.reason)})`,
        );
      }
    },
  },
  {
    id: 'C13.8-caught-up-is-reported-once-everything-visible-was-yielded',
    level: 'MUST',
    title:
      'onCaughtUp is called with the last position once every visible event was yielded: at the end of a feed, and each time a live feed is about to wait',
    hint: 'make onCaughtUp run when a page read comes back empty, before waiting or ending, with the last position yielded (or after)',
    needs: ['feed'],
    async run({ store, stream }) {
      const base = stream('feed');
      for (let i = 1; i <= 4; i++) await appendOk(store, `${base}:${i % 2}`, i);
      const calls: [string | undefined, number][] = [];
      const items: FeedItem[] = [];
      for await (const value of feedOf(store)(undefined, { prefix: `${base}:`, onCaughtUp: (p) => calls.push([p, items.length]) })) {
        items.push(checkItem(value, items.at(-1)?.position, 'the feed'));
      }
      assertEqual(calls, [[items.at(-1)?.position, 4]], 'onCaughtUp calls of a feed that ends: [position, events yielded before the call]');
      const empty: (string | undefined)[] = [];
      const last = items.at(-1)?.position;
      for await (const _ of feedOf(store)(last, { prefix: `${base}:`, onCaughtUp: (p) => empty.push(p) })) {
        throw new ConformanceFailure('a feed after the last position yielded an event');
      }
      assertEqual(empty, [last], 'onCaughtUp calls of a feed after the last position (gets after)');
      const live = liveFeed(store, undefined, `${base}:`);
      for (let i = 0; i < 4; i++) await live.take(`event ${i + 1}`);
      const pending = live.take('event 5');
      pending.catch(() => undefined); // awaited below
      await live.caughtUpTimes(1);
      assertEqual(live.caughtUp, [last], 'onCaughtUp calls of a live feed after its catch-up');
      await appendOk(store, `${base}:9`, 5);
      const fifth = await pending;
      const waiting = live.iterator.next();
      waiting.catch(() => undefined); // awaited below
      await live.caughtUpTimes(2);
      assertEqual(live.caughtUp, [last, fifth.position], 'onCaughtUp calls after a live event');
      live.stop.abort();
      assertEqual((await waiting).done, true, 'the live feed ended by its signal');
    },
  },
]);
