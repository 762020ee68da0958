import type { AnyEventStore } from './target.js';

/** How often a read hands control back to the event loop. */
const EVENTS_PER_TURN = 256;

/**
 * Wraps the store a case works on, so that a case the runner has given up
 * on (timed out) stops: every later call and every later step of a read
 * throws. Reads also yield to the event loop now and then, because a store
 * whose reads never leave the microtask queue would otherwise keep the
 * timeout from ever firing.
 */
export function guardedStore(store: AnyEventStore, signal: AbortSignal): AnyEventStore {
  const stopIfAborted = (): void => {
    if (signal.aborted) throw new Error('the case was stopped after its timeout');
  };
  const guarded: AnyEventStore = {
    append(...args) {
      stopIfAborted();
      return store.append(...args);
    },
    events(...args) {
      // Called at once, so that a store that throws synchronously is seen doing it (C7.5).
      return guardIterable(store.events(...args), stopIfAborted);
    },
  };
  if (typeof store.appendMany === 'function') {
    const appendMany = store.appendMany;
    guarded.appendMany = (...args) => {
      stopIfAborted();
      return appendMany.apply(store, args);
    };
  }
  if (typeof store.feed === 'function') {
    const feed = store.feed;
    guarded.feed = (...args) => guardIterable(feed.apply(store, args), stopIfAborted);
  }
  if (typeof store.streams === 'function') {
    const streams = store.streams;
    guarded.streams = (options) => guardIterable(streams.call(store, options), stopIfAborted);
  }
  for (const method of ['saveSnapshot', 'loadSnapshot', 'saveCheckpoint', 'loadCheckpoint'] as const) {
    const call = store[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof call !== 'function') continue;
    (guarded as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      stopIfAborted();
      return call.apply(store, args);
    };
  }
  if (typeof store.close === 'function') guarded.close = () => (store.close as () => Promise<void>).call(store);
  return guarded;
}

function guardIterable<T>(iterable: AsyncIterable<T>, stopIfAborted: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = iterable[Symbol.asyncIterator]();
      let steps = 0;
      return {
        async next() {
          if (++steps % EVENTS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
          stopIfAborted();
          return iterator.next();
        },
        async return(value?: unknown) {
          return iterator.return ? iterator.return(value) : { done: true as const, value: undefined };
        },
      };
    },
  };
}
