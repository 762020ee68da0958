import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { assert, assertEqual } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { feedOf, feedStart } from '../feed-calls.js';
import { appendOk } from '../store-calls.js';

const MiB = 2 ** 20;
const events = 64;

/**
 * A full garbage collection, so that what is measured is what is still
 * held. `--expose-gc` set at run time makes `gc` available to a new context.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** The memory this process holds in JavaScript objects and in buffers (where drivers keep rows). */
function held(): number {
  collectGarbage();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** C4.7, C13.11: a read or a feed holds about one page's bytes, whatever the size of the payloads. */
export const readMemoryCases = defineCases([
  {
    id: 'C4.7-a-read-of-one-event-holds-far-less-than-the-stream',
    level: 'MUST',
    title: `reading one event of a stream of ${events} payloads of 1 MiB holds far less than the stream in memory (at most half of it)`,
    hint: 'check that a read fetches one page at a time and that pages are bounded by bytes as well as by events (a page of 512 events of 1 MiB is 512 MiB); a store that loads the whole stream, or a whole page of events of any size, fails here',
    async run({ store, stream }) {
      const name = stream();
      const text = 'x'.repeat(MiB - 16);
      for (let i = 0; i < events; i++) await appendOk(store, name, { i, text });
      const before = held();
      const iterator = store.events(name)[Symbol.asyncIterator]();
      try {
        const first = await iterator.next();
        assertEqual(first.done ? undefined : first.value.seq, 1, 'seq of the first event read');
        // Measured while the read is still open, holding whatever it fetched to yield its first event.
        const grew = held() - before;
        assert(
          grew < (events * MiB) / 2,
          `reading the first of ${events} events of 1 MiB made the process hold ${(grew / MiB).toFixed(0)} MiB more; a lazy read holds about one page`,
        );
      } finally {
        await iterator.return?.();
      }
    },
  },
  {
    id: 'C13.11-a-feed-of-one-event-holds-far-less-than-its-events',
    level: 'MUST',
    title: `reading one event of a feed over ${events} payloads of 1 MiB holds far less than those events in memory (at most half of them)`,
    hint: 'check that the feed fetches one page at a time and that its pages are bounded by bytes as well as by events, like reads (C4.7)',
    needs: ['feed'],
    async run({ store, stream }) {
      const start = await feedStart(store, stream('start'));
      const name = stream();
      const text = 'x'.repeat(MiB - 16);
      for (let i = 0; i < events; i++) await appendOk(store, name, { i, text });
      const before = held();
      const iterator = feedOf(store)(start, { prefix: name })[Symbol.asyncIterator]();
      try {
        const first = await iterator.next();
        assertEqual(
          first.done ? undefined : [first.value.stream, first.value.seq],
          [name, 1],
          'stream and seq of the first event of the feed',
        );
        const grew = held() - before;
        assert(
          grew < (events * MiB) / 2,
          `reading the first of ${events} events of 1 MiB from the feed made the process hold ${(grew / MiB).toFixed(0)} MiB more; a lazy feed holds about one page`,
        );
      } finally {
        await iterator.return?.();
      }
    },
  },
]);
