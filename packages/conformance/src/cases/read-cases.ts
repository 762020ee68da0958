import { assert, assertEqual, assertRun, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendOk, readAll } from '../store-calls.js';
import { fill } from './fill.js';

/** C4.1–C4.3 and C4.5: what a read yields, where it starts, how far it goes, what it leaves behind. */
export const readCases = defineCases([
  {
    id: 'C4.1-from-is-exclusive',
    level: 'MUST',
    title: 'events(stream, from) yields exactly the events with seq > from, ascending',
    hint: 'check the comparison is `seq > from`, not `seq >= from`',
    async run({ store, stream }) {
      const name = stream();
      await fill(store, name, 5);
      for (let from = 0; from <= 5; from++) {
        const events = await readAll(store, name, from);
        assertEqual(
          events.map((e) => e.seq),
          [1, 2, 3, 4, 5].filter((seq) => seq > from),
          `seqs read from ${from}`,
        );
      }
    },
  },
  {
    id: 'C4.1-from-defaults-to-0',
    level: 'MUST',
    title: 'events(stream) with from left out yields the whole stream with its payloads',
    hint: 'check the default of from is 0 and that each event carries its own payload',
    async run({ store, stream }) {
      const name = stream();
      await fill(store, name, 3);
      const events = await readAll(store, name);
      assertEqual(
        events.map((e) => [e.seq, e.payload]),
        [
          [1, { i: 0 }],
          [2, { i: 1 }],
          [3, { i: 2 }],
        ],
        'events read with from left out',
      );
    },
  },
  {
    id: 'C4.2-unknown-stream-reads-empty',
    level: 'MUST',
    title: 'an unknown stream yields nothing, without an error',
    hint: 'check that a missing stream is not an error (no row, no key, no table yet)',
    async run({ store, stream }) {
      assertEqual(await readAll(store, stream('never-written')), [], 'events of an unknown stream');
      assertEqual(await readAll(store, stream('never-written'), 10), [], 'events of an unknown stream from 10');
    },
  },
  {
    id: 'C4.2-from-at-or-past-the-end-reads-empty',
    level: 'MUST',
    title: 'a from at or past the last seq yields nothing, without an error',
    hint: 'check that an empty page ends the read rather than failing or wrapping around',
    async run({ store, stream }) {
      const name = stream();
      await fill(store, name, 3);
      for (const from of [3, 4, 1000, Number.MAX_SAFE_INTEGER]) assertEqual(await readAll(store, name, from), [], `events from ${from}`);
    },
  },
  {
    id: 'C4.3-long-streams-read-completely-from-any-from',
    level: 'MUST',
    title: 'a stream longer than any page size reads completely and in order, from every page boundary',
    hint: 'check the keyset of the next page (after the last seq yielded, not after a row count) and the stop condition (a short page, not an empty one read twice)',
    async run({ store, stream, longStream }) {
      const name = stream();
      await fill(store, name, longStream);
      const boundaries = [0, 1, 99, 100, 101, 127, 128, 255, 256, 499, 500, 501, 999, 1000, 1001, 1023, 1024, 2047, 2048];
      const froms = [...boundaries.filter((from) => from < longStream), longStream - 1, longStream, longStream + 1];
      for (const from of froms) {
        const events = await readAll(store, name, from, longStream);
        assertRun(events, from, `read from ${from}`);
        assertEqual(events.length, Math.max(0, longStream - from), `number of events read from ${from}`);
        const wrong = events.find((e) => (e.payload as { i?: unknown })?.i !== e.seq - 1);
        assert(wrong === undefined, `read from ${from}: event ${wrong?.seq} carries the payload ${show(wrong?.payload)}`);
      }
    },
  },
  {
    id: 'C4.5-abandoned-reads-release-the-store',
    level: 'MUST',
    title: 'many reads broken off after one event, or deep into the stream, leave the store fully usable',
    hint: "check that the iterator's return() releases its connection, statement or lock (a try/finally in the generator), and that a page read ahead is dropped when it arrives",
    async run({ store, stream, longStream }) {
      const name = stream();
      await fill(store, name, longStream);
      for (let i = 0; i < 40; i++) {
        for await (const event of store.events(name, i)) {
          assertEqual(event.seq, i + 1, `first seq of abandoned read #${i}`);
          break;
        }
      }
      // Broken off at depths that fall in the middle of pages of most sizes, where a store may be reading ahead.
      for (const depth of new Set(
        [2, 3, 7, 300, 600, Math.floor(longStream / 2), longStream - 1].filter((d) => d >= 1 && d < longStream),
      )) {
        let taken = 0;
        for await (const event of store.events(name)) {
          assertEqual(event.seq, taken + 1, `seq ${taken + 1} of a read broken off after ${depth} events`);
          if (++taken === depth) break;
        }
      }
      const iterator = store.events(name)[Symbol.asyncIterator]();
      assertEqual((await iterator.next()).value?.seq, 1, 'first seq before return()');
      await iterator.return?.();
      const other = stream('after');
      assertEqual((await readAll(store, name)).length, longStream, 'events read after the abandoned reads');
      assertEqual(await appendOk(store, name, 'after', longStream), longStream + 1, 'seq of an append after the abandoned reads');
      assertEqual(await appendOk(store, other, 'x'), 1, 'seq of an append to another stream after the abandoned reads');
    },
  },
]);
