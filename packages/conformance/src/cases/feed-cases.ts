import { assert, assertEqual, describeError, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { Acknowledged, assertDelivered, feedOf, feedStart, keys, readFeed } from '../feed-calls.js';
import { prng } from '../history/prng.js';
import { appendOk, readAll } from '../store-calls.js';
import type { AnyEventStore } from '../target.js';

/** `writers` clients at once, each appending `each` events one at a time to streams chosen from the seed. */
async function concurrentWriters(
  store: AnyEventStore,
  streams: readonly string[],
  writers: number,
  each: number,
  seed: number,
  acknowledged: Acknowledged,
): Promise<void> {
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const random = prng(seed ^ Math.imul(writer + 1, 0x9e3779b1));
      for (let n = 0; n < each; n++) {
        const stream = streams[random.below(streams.length)] as string;
        await acknowledged.append(store, stream, { writer, n });
      }
    }),
  );
}

/** C13.1–C13.5, C13.9–C13.11: what the feed yields, in which order, at which positions, from which arguments. */
export const feedCases = defineCases([
  {
    id: 'C13.1-the-feed-yields-every-acknowledged-event-once-in-stream-order',
    level: 'MUST',
    title: '8 writers at once on 6 streams: a feed begun afterwards yields every acknowledged event exactly once, each stream in seq order',
    hint: 'check that the feed reads every stream (no filter left on), pages after the last position yielded, and orders by a key that follows commit order',
    needs: ['feed'],
    async run({ store, stream, seed }) {
      const start = await feedStart(store, stream('start'));
      const base = stream('feed');
      const streams = Array.from({ length: 6 }, (_, i) => `${base}:${i}`);
      const acknowledged = new Acknowledged();
      await concurrentWriters(store, streams, 8, 20, seed, acknowledged);
      const items = (await readFeed(store, start, undefined, 'the feed after the writers')).filter((item) =>
        item.stream.startsWith(`${base}:`),
      );
      assertDelivered(items, acknowledged.byStream, 'the feed after the writers');
    },
  },
  {
    id: 'C13.1-events-appended-through-other-instances-are-in-the-feed',
    level: 'MUST',
    title: 'events appended at once through three instances on the same data are all in the feed of a fourth',
    hint: 'check that the feed reads what other connections committed (no per-instance cache, no position kept in this instance only)',
    needs: ['feed', 'reopen'],
    async run({ store, stream, reopen, seed }) {
      const base = stream('feed');
      const streams = Array.from({ length: 4 }, (_, i) => `${base}:${i}`);
      const instances = [store, await reopen(), await reopen()];
      const acknowledged = new Acknowledged();
      await Promise.all(instances.map((instance, i) => concurrentWriters(instance, streams, 3, 10, seed + i, acknowledged)));
      const reader = await reopen();
      assertDelivered(
        await readFeed(reader, undefined, { prefix: `${base}:` }, 'the feed of a fourth instance'),
        acknowledged.byStream,
        'the feed of a fourth instance',
      );
    },
  },
  {
    id: 'C13.2-concurrent-appends-to-one-stream-keep-seq-order-in-the-feed',
    level: 'MUST',
    title: '64 appends in flight at once on 2 streams: each stream reads 1, 2, 3, … in feed order',
    hint: "check that the feed position is taken after the stream's seq is settled (under the same lock or in the same statement), so seq order and feed order agree",
    needs: ['feed'],
    async run({ store, stream }) {
      const base = stream('feed');
      const streams = [`${base}:a`, `${base}:b`];
      const acknowledged = new Acknowledged();
      await Promise.all(Array.from({ length: 64 }, (_, n) => acknowledged.append(store, streams[n % 2] as string, { n })));
      assertDelivered(await readFeed(store, undefined, { prefix: `${base}:` }, 'the feed'), acknowledged.byStream, 'the feed');
    },
  },
  {
    id: 'C13.3-feeds-replay-identically-and-resume-from-any-position',
    level: 'MUST',
    title: 'two feeds of the same events yield the same positions in the same order, and a feed after any of them yields exactly the rest',
    hint: 'check that a position is stored with its event (not computed per read) and that after is compared on the whole sort key',
    needs: ['feed'],
    async run({ store, stream, seed }) {
      const base = stream('feed');
      const acknowledged = new Acknowledged();
      await concurrentWriters(store, [`${base}:a`, `${base}:b`, `${base}:c`], 4, 40, seed, acknowledged);
      const options = { prefix: `${base}:` };
      const first = await readFeed(store, undefined, options, 'the first feed');
      const second = await readFeed(store, undefined, options, 'the second feed');
      assertEqual(second, first, 'the second feed of the same events');
      const random = prng(seed);
      const cuts = [0, 1, first.length - 2, first.length - 1, ...Array.from({ length: 8 }, () => random.below(first.length))];
      for (const cut of cuts) {
        const after = first[cut]?.position;
        const rest = await readFeed(store, after, options, `the feed after position #${cut}`);
        assertEqual(keys(rest), keys(first.slice(cut + 1)), `events after position #${cut} (${after})`);
      }
    },
  },
  {
    id: 'C13.4-positions-are-ascii-and-ascend-as-plain-strings',
    level: 'MUST',
    title: 'positions are printable ASCII and sort as plain strings in feed order, across widths (9 → 10, 99 → 100, …)',
    hint: 'use a fixed-width, zero-padded encoding: "10" < "9" as strings, "0000000010" > "0000000009"',
    needs: ['feed'],
    async run({ store, stream, longStream }) {
      const base = stream('feed');
      const acknowledged = new Acknowledged();
      const total = Math.max(1100, Math.min(longStream, 1500));
      for (let i = 0; i < total; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, total - i) }, (_, j) => acknowledged.append(store, `${base}:${(i + j) % 3}`, i + j)),
        );
      }
      const items = await readFeed(store, undefined, { prefix: `${base}:` }, 'the feed');
      assertEqual(items.length, total, 'events in the feed');
      const sorted = items.map((item) => item.position).sort();
      assertEqual(
        sorted,
        items.map((item) => item.position),
        'positions sorted as strings, against feed order',
      );
    },
  },
  {
    id: 'C13.5-after-is-exclusive',
    level: 'MUST',
    title: 'feed(p) starts with the event right after position p; feed() starts at the first event',
    hint: 'check the comparison: position > after, not >=',
    needs: ['feed'],
    async run({ store, stream }) {
      const name = stream();
      for (let i = 0; i < 5; i++) await appendOk(store, name, i);
      const all = await readFeed(store, undefined, { prefix: name }, 'feed()');
      assertEqual(
        keys(all),
        [1, 2, 3, 4, 5].map((seq) => `${name} ${seq}`),
        'feed() of a fresh stream',
      );
      for (const [index, item] of all.entries()) {
        const rest = await readFeed(store, item.position, { prefix: name }, `feed(${item.position})`);
        assertEqual(keys(rest), keys(all.slice(index + 1)), `events after the position of seq ${item.seq}`);
      }
    },
  },
  {
    id: 'C13.9-prefix-yields-exactly-the-matching-streams-at-their-feed-positions',
    level: 'MUST',
    title:
      'a prefix yields exactly the streams that start with it (case, accents and neighbours left out), at the positions of the whole feed',
    hint: 'check the prefix comparison (a LIKE pattern must escape % and _; a collation must not fold case or accents) and that a filtered feed keeps the global positions',
    needs: ['feed'],
    async run({ store, stream }) {
      const start = await feedStart(store, stream('start'));
      const base = stream('feed');
      // The last ones end a prefix at the edges of code point order (U+D7FF before U+E000, U+FFFF, the first and the
      // last astral character): where a store that reads a prefix as a range computes the range's upper end.
      const edges = ['cat\u{10FFFF}', 'cat\u{10FFFF}-1', 'cat\uD7FF-1', 'cat\uE000-1', 'cat\uFFFF-1', 'cat\u{10000}-1', 'cat\u{10000}'];
      const names = ['cat-1', 'cat-2', 'cat', 'cats', 'Cat-1', 'cät-1', 'cat_1', 'cat%1', 'dog-1', 'cat-', 'cat-1-x', ...edges].map(
        (name) => `${base}:${name}`,
      );
      for (let round = 0; round < 3; round++) for (const name of names) await appendOk(store, name, { name, round });
      const whole = (await readFeed(store, start, undefined, 'the whole feed')).filter((item) => item.stream.startsWith(`${base}:`));
      for (const prefix of ['cat-', 'cat', 'cat_', 'cat%', 'Cat', 'cat-1', '', 'cat\u{10FFFF}', 'cat\uD7FF', 'cat\uFFFF', 'cat\u{10000}']) {
        const filtered = await readFeed(store, undefined, { prefix: `${base}:${prefix}` }, `the feed with prefix ${show(prefix)}`);
        const expected = whole.filter((item) => item.stream.startsWith(`${base}:${prefix}`));
        assertEqual(
          filtered.map((item) => [item.position, item.stream, item.seq]),
          expected.map((item) => [item.position, item.stream, item.seq]),
          `events and positions with prefix ${show(`${base}:${prefix}`)}`,
        );
      }
      const everything = await readFeed(store, start, { prefix: '' }, 'the feed with the empty prefix');
      assertEqual(keys(everything.filter((item) => item.stream.startsWith(`${base}:`))), keys(whole), 'events with the empty prefix');
      // A prefix of U+10FFFF alone has no upper end in code point order: no string sorts after every name it starts.
      const top = '\u{10FFFF}';
      const topNames = [`${top}${base}`, `${top}${top}${base}`];
      for (const name of topNames) await appendOk(store, name, { name });
      const topWhole = (await readFeed(store, start, undefined, 'the whole feed')).filter((item) => topNames.includes(item.stream));
      const topFiltered = await readFeed(store, undefined, { prefix: top }, 'the feed with prefix U+10FFFF');
      assert(
        topFiltered.every((item) => item.stream.startsWith(top)),
        `the feed with prefix U+10FFFF yielded streams that do not start with it: ${show(topFiltered.find((item) => !item.stream.startsWith(top))?.stream)}`,
      );
      assertEqual(
        topFiltered.filter((item) => topNames.includes(item.stream)).map((item) => [item.position, item.stream, item.seq]),
        topWhole.map((item) => [item.position, item.stream, item.seq]),
        "events and positions with prefix U+10FFFF (this case's streams)",
      );
    },
  },
  {
    id: 'C13.10-bad-feed-arguments-reject-the-first-next',
    level: 'MUST',
    title:
      'feed with a bad after or bad options never throws synchronously; its first next() rejects with INVALID_ARGUMENT naming the argument',
    hint: "use @hume/core's checkFeed, and reject from the first next() (construct the iterator, fail it later)",
    needs: ['feed'],
    async run({ store, stream }) {
      const signal = new AbortController().signal;
      // A position this store gave, with a space after or before it: a lenient parse (Number(), a
      // pattern without its end anchor) would take it for the position it contains.
      const name = stream('bad-after');
      await appendOk(store, name, 'an event to take a position from');
      const [given] = await readFeed(store, undefined, { prefix: name }, 'the feed of one event');
      assert(given !== undefined, 'the feed of one event yielded nothing');
      const bad: [unknown, unknown, string][] = [
        [`${given.position} `, undefined, 'after'],
        [` ${given.position}`, undefined, 'after'],
        [12, undefined, 'after'],
        [null, undefined, 'after'],
        ['', undefined, 'after'],
        ['é', undefined, 'after'],
        ['\u0000', undefined, 'after'],
        [undefined, 'live', 'options'],
        [undefined, { live: 'yes' }, 'options'],
        [undefined, { prefix: 5 }, 'options'],
        [undefined, { prefix: 'a\u0000b' }, 'options'],
        [undefined, { bogus: true }, 'options'],
        [undefined, { signal: {} }, 'options'],
        [undefined, { onCaughtUp: 'later' }, 'options'],
        [undefined, { live: true, signal, prefix: '\ud800' }, 'options'],
      ];
      for (const [after, options, argument] of bad) {
        const what = `feed(${show(after)}, ${show(options)})`;
        let iterator: AsyncIterator<unknown>;
        try {
          iterator = (store.feed as (a: unknown, o: unknown) => AsyncIterable<unknown>).call(store, after, options)[Symbol.asyncIterator]();
        } catch (error) {
          throw new ConformanceFailure(`${what} threw synchronously (${describeError(error)}); it must reject the first next()`);
        }
        let outcome: unknown;
        try {
          outcome = await iterator.next();
        } catch (error) {
          assertEqual((error as { code?: unknown }).code, 'INVALID_ARGUMENT', `code of the rejection of ${what} (${describeError(error)})`);
          const message = String((error as { message?: unknown }).message);
          assert(new RegExp(`\\b${argument}\\b`).test(message), `the rejection of ${what} must name ${argument} (got ${show(message)})`);
          continue;
        }
        throw new ConformanceFailure(`${what} resolved ${show(outcome)}; it must reject with INVALID_ARGUMENT`);
      }
    },
  },
  {
    id: 'C13.11-long-feeds-read-completely-and-abandoned-feeds-release-the-store',
    level: 'MUST',
    title: 'a feed longer than any page reads completely; feeds broken off early, at any depth, leave the store fully usable',
    hint: "check the feed's keyset (after the last position yielded) and that return() releases its connection or statement",
    needs: ['feed'],
    async run({ store, stream, longStream }) {
      const base = stream('feed');
      const acknowledged = new Acknowledged();
      for (let i = 0; i < longStream; i += 64) {
        await Promise.all(
          Array.from({ length: Math.min(64, longStream - i) }, (_, j) =>
            acknowledged.append(store, `${base}:${(i + j) % 4}`, { i: i + j }),
          ),
        );
      }
      const options = { prefix: `${base}:` };
      assertDelivered(await readFeed(store, undefined, options, 'the long feed'), acknowledged.byStream, 'the long feed');
      const feed = feedOf(store);
      for (const depth of [1, 1, 1, 2, 3, 7, 255, 256, 257, 499, 500, 501, 999, 1000, 1001, longStream - 1]) {
        if (depth < 1 || depth >= longStream) continue;
        let taken = 0;
        for await (const _ of feed(undefined, options)) if (++taken === depth) break;
      }
      for (let i = 0; i < 30; i++) {
        const iterator = feed(undefined, options)[Symbol.asyncIterator]();
        await iterator.next();
        await iterator.return?.();
      }
      assertEqual(
        await appendOk(store, `${base}:0`, 'after'),
        (acknowledged.byStream.get(`${base}:0`)?.length ?? 0) + 1,
        'seq of an append after the abandoned feeds',
      );
      assertEqual(
        (await readFeed(store, undefined, options, 'the feed after the abandoned ones')).length,
        longStream + 1,
        'events in the feed after the abandoned ones',
      );
    },
  },
  {
    id: 'C13.11-feeds-and-reads-over-payloads-of-mixed-sizes-yield-each-intact',
    level: 'MUST',
    title:
      'a feed and a read over small payloads mixed with payloads of 300 KiB and 1 MiB, in every order, yield every event once, in order, each payload intact',
    hint: 'check where a page bounded by bytes ends: a large payload after small ones must start the next page, neither dropped, cut nor repeated',
    needs: ['feed'],
    async run({ store, stream }) {
      const name = stream('mixed');
      const sizes = [10, 10, 2 ** 20, 10, 300 * 1024, 10, 10, 10, 10, 10, 2 ** 20, 2 ** 20, 10, 300 * 1024, 300 * 1024, 10];
      const payloads = sizes.map((size, n) => ({ n, text: String.fromCharCode(97 + (n % 26)).repeat(size) }));
      for (const payload of payloads) await appendOk(store, name, payload);
      const check = (items: readonly { seq: number; payload: unknown }[], what: string): void => {
        assertEqual(
          items.map((item) => item.seq),
          payloads.map((_, n) => n + 1),
          `seqs of ${what}`,
        );
        for (const [n, item] of items.entries()) {
          assert(
            JSON.stringify(item.payload) === JSON.stringify(payloads[n]),
            `${what}: the payload at seq ${n + 1} (${sizes[n]} characters) differs from the one appended`,
          );
        }
      };
      check(await readFeed(store, undefined, { prefix: name }, 'the feed over mixed sizes'), 'the feed');
      check(await readAll(store, name), 'the read');
    },
  },
]);
