// Contenders that drive any Hume EventStore the way a user would, so that
// every adapter runs the same loops as its peer.
import type { EventStore } from '@hume/core';
import { freshStream, lanes, payload } from './lanes.js';
import type { Contender } from './scenario.js';

/** `writers` concurrent loops, each appending to a stream of its own (or all to `stream`), no expect. */
export function humeAppends(name: string, store: () => EventStore, writers: number, stream?: string): Contender {
  return {
    name,
    async run(ops) {
      await lanes(ops, writers, async (_, count) => {
        const target = stream ?? freshStream('hume');
        for (let i = 0; i < count; i++) {
          const result = await store().append(target, payload);
          if (!result.ok) throw result.error;
        }
      });
    },
  };
}

/**
 * `writers` loops racing on one stream with expect: each keeps the last seq it
 * knows, and on a conflict re-reads the events after it (as a command handler
 * rebuilding its state would) and tries again. Counts the retries.
 */
export function humeRacingWithExpect(name: string, store: () => EventStore, writers: number): Contender {
  let retries = 0;
  let appends = 0;
  return {
    name,
    async run(ops) {
      const stream = freshStream('hume-expect');
      await lanes(ops, writers, async (_, count) => {
        let known = 0;
        for (let i = 0; i < count; i++) {
          for (;;) {
            const result = await store().append(stream, payload, known);
            if (result.ok) {
              known = result.seq;
              appends++;
              break;
            }
            if (result.error.code !== 'UNEXPECTED_SEQ') throw result.error;
            retries++;
            for await (const event of store().events(stream, known)) known = event.seq;
          }
        }
      });
    },
    notes: () => ({ retries, retriesPerAppend: appends === 0 ? 0 : retries / appends }),
  };
}

/** Time until the first event of `stream` arrives: one op is one read started and stopped at its first event. */
export function humeFirstEvent(name: string, store: () => EventStore, stream: string): Contender {
  return {
    name,
    async run(ops) {
      for (let i = 0; i < ops; i++) {
        for await (const event of store().events(stream)) {
          if (event.seq !== 1) throw new Error(`${name}: the first event has seq ${event.seq}`);
          break;
        }
      }
    },
  };
}
