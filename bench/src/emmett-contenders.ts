// Contenders that drive an Emmett event store (PostgreSQL or SQLite) through
// its public API, doing the same work as the Hume contenders beside them.
import { type EventStore, isExpectedVersionConflictError } from '@event-driven-io/emmett';
import { freshStream, lanes, payload } from './lanes.js';
import type { Contender, Notes } from './scenario.js';

/** The shared payload as an Emmett event: the same fields under `data`. */
export const emmettEvent = { type: payload.type, data: { sku: payload.sku, quantity: payload.quantity, price: payload.price } };

/**
 * `writers` concurrent loops, each appending one event per call to a stream of
 * its own (or all to `stream`), no expected version. Emmett still rejects an
 * append that loses a race on the stream's version (ExpectedVersionConflictError,
 * "Expected version NO_CONCURRENCY_CHECK does not match"), so such an append is
 * retried as a user would have to, and counted. Fresh streams are named
 * `label-n`: a child process writing the file beside the suite's gives a
 * label of its own, as the counter behind `n` is per process.
 */
export function emmettAppends(name: string, store: () => EventStore, writers: number, stream?: string, label = 'emmett'): Contender {
  let retries = 0;
  return {
    name,
    async run(ops) {
      await lanes(ops, writers, async (_, count) => {
        const target = stream ?? freshStream(label);
        for (let i = 0; i < count; i++) {
          for (;;) {
            try {
              await store().appendToStream(target, [emmettEvent]);
              break;
            } catch (error) {
              if (!isExpectedVersionConflictError(error)) throw error;
              retries++;
            }
          }
        }
      });
    },
    notes: (): Notes => (retries === 0 ? {} : { retries }),
  };
}

/** One writer appending batches of `size` events per appendToStream call (one op: one event). */
export function emmettBatches(name: string, store: () => EventStore, size: number): Contender {
  const batch = Array.from({ length: size }, () => emmettEvent);
  return {
    name,
    async run(ops) {
      const stream = freshStream('emmett-batch');
      for (let done = 0; done < ops; done += size) await store().appendToStream(stream, batch);
    },
  };
}

/**
 * `writers` loops racing on one stream with expectedStreamVersion; on a
 * conflict each re-reads the events after the version it knows and retries.
 */
export function emmettRacingWithExpect(name: string, store: () => EventStore, writers: number): Contender {
  let retries = 0;
  let appends = 0;
  return {
    name,
    async run(ops) {
      const stream = freshStream('emmett-expect');
      await lanes(ops, writers, async (_, count) => {
        let known = 0n;
        for (let i = 0; i < count; i++) {
          for (;;) {
            try {
              const result = await store().appendToStream(stream, [emmettEvent], { expectedStreamVersion: known });
              known = result.nextExpectedStreamVersion;
              appends++;
              break;
            } catch (error) {
              if (!isExpectedVersionConflictError(error)) throw error;
              retries++;
              const read = await store().readStream(stream, { from: known + 1n });
              known = read.currentStreamVersion as bigint;
            }
          }
        }
      });
    },
    notes: () => ({ retries, retriesPerAppend: appends === 0 ? 0 : retries / appends }),
  };
}

/** Time until the first event of `stream` is in hand: Emmett's readStream returns the whole stream at once. */
export function emmettFirstEvent(name: string, store: () => EventStore, stream: string): Contender {
  return {
    name,
    async run(ops) {
      for (let i = 0; i < ops; i++) {
        const { events } = await store().readStream(stream);
        if (events[0] === undefined) throw new Error(`${name}: ${stream} is empty`);
      }
    },
  };
}

/** Appends `count` events to `stream` in calls of `batch`: setup, not measured. */
export async function emmettFill(store: EventStore, stream: string, count: number, batch = 1_000): Promise<void> {
  for (let done = 0; done < count; done += batch) {
    await store.appendToStream(
      stream,
      Array.from({ length: Math.min(batch, count - done) }, () => emmettEvent),
    );
  }
}
