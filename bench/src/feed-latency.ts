import { type ChildProcess, fork } from 'node:child_process';
import type { FeedEvent, FeedOptions, Json } from '@hume/core';
import { epochNow, type FromReader, type ToReader } from './live-reader-protocol.js';
import type { Contender, Notes } from './scenario.js';

/** What a live latency contender needs of a store: appends and a feed. */
export interface FeedStore {
  append(stream: string, payload: Json): Promise<{ ok: true; seq: number } | { ok: false; error: Error }>;
  feed?(after?: string, options?: FeedOptions): AsyncIterable<FeedEvent<Json>>;
}

/** Where the live feed of a latency row runs: on a store of this process, or in a process of its own. */
export interface LiveReader {
  /**
   * Starts a live feed after `after` and resolves once it has caught up.
   * Each event it yields is passed to `received` as `stream:seq` with the
   * time it arrived (epoch milliseconds, see {@link epochNow}).
   */
  start(after: string | undefined, received: (key: string, at: number) => void): Promise<void>;
  /** The reader's CPU, in percent of one core, over one second with its feed waiting. */
  idleCpuPercent(): Promise<number>;
  /** Ends the feed and whatever the reader opened. */
  stop(): Promise<void>;
}

/**
 * A live feed of `store`, in this process. Its idle CPU is the process's,
 * which holds the writing store too (idle as well by then).
 *
 * @example
 * ```ts
 * const reader = readerOnStore(new SqliteEventStore(file));
 * ```
 */
export function readerOnStore(store: FeedStore): LiveReader {
  const stop = new AbortController();
  let reading: Promise<void> = Promise.resolve();
  return {
    start(after, received) {
      const feed = store.feed?.bind(store);
      if (!feed) return Promise.reject(new Error('the store has no feed()'));
      return new Promise((caughtUp, failed) => {
        reading = (async () => {
          for await (const event of feed(after, { live: true, signal: stop.signal, onCaughtUp: () => caughtUp() })) {
            received(`${event.stream}:${event.seq}`, epochNow());
          }
        })();
        reading.catch(failed);
      });
    },
    async idleCpuPercent() {
      const cpu = process.cpuUsage();
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const used = process.cpuUsage(cpu);
      return ((used.user + used.system) / 1000 / (performance.now() - started)) * 100;
    },
    async stop() {
      stop.abort();
      await reading;
    },
  };
}

/** How long the child reader has to answer one message before its row fails. */
const ANSWER_WITHIN_MS = 60_000;

/**
 * A live feed in a child process of its own (`live-reader-child.js`),
 * opened with `args` (`sqlite <file>` or `postgres <url> <schema>`): what a
 * read model's worker beside the writers sees. Its idle CPU is the child's
 * alone.
 *
 * @example
 * ```ts
 * const reader = readerInChildProcess(['sqlite', file]);
 * ```
 */
export function readerInChildProcess(args: readonly string[]): LiveReader {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let received: (key: string, at: number) => void = () => undefined;
  const waiting = new Map<FromReader['type'], { resolve(message: FromReader): void; reject(error: Error): void }>();
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    for (const waiter of waiting.values()) waiter.reject(failure);
    waiting.clear();
  };
  /** Sends `message` (if any) and resolves with the child's next message of type `type`. */
  const answer = (type: FromReader['type'], message?: ToReader): Promise<FromReader> => {
    if (failure !== undefined) return Promise.reject(failure);
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<FromReader>((resolve, reject) => {
      waiting.set(type, { resolve, reject });
      timer = setTimeout(
        () => fail(new Error(`the reader's child process did not answer ${type} within ${ANSWER_WITHIN_MS / 1000} s`)),
        ANSWER_WITHIN_MS,
      );
    });
    if (message !== undefined) child?.send(message);
    return answered.finally(() => clearTimeout(timer));
  };
  return {
    async start(after, onReceived) {
      received = onReceived;
      const forked = fork(new URL('./live-reader-child.js', import.meta.url), [...args], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child = forked;
      forked.on('message', (message: FromReader) => {
        if (message.type === 'received') for (const [key, at] of message.events) received(key, at);
        else if (message.type === 'failed') fail(new Error(`the reader's child process failed: ${message.reason}`));
        else {
          // Later catch-ups (after each page of events) are not waited for.
          const waiter = waiting.get(message.type);
          waiting.delete(message.type);
          waiter?.resolve(message);
        }
      });
      exited = new Promise((resolve) => {
        forked.on('exit', (code, signal) => {
          fail(new Error(`the reader's child process ended (${signal ?? `exit code ${code}`})`));
          resolve();
        });
      });
      await answer('listening');
      await answer('caught-up', after === undefined ? { type: 'start' } : { type: 'start', after });
    },
    async idleCpuPercent() {
      const idle = await answer('idle', { type: 'idle' });
      return idle.type === 'idle' ? idle.cpuPercent : Number.NaN;
    },
    async stop() {
      if (child === undefined) return;
      const stopped = failure === undefined ? await answer('stopped', { type: 'stop' }).catch(() => undefined) : undefined;
      child.disconnect?.();
      if (stopped === undefined) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Live delivery latency: `writers` callers append to fresh streams of
 * their own (each append awaited) through `writer`, while a live feed of
 * `reader` started before the first round yields them. Latency is from
 * the append's acknowledgement (its promise resolving) to the reader's
 * loop receiving the event, both stamped with {@link epochNow}; a round
 * ends once the reader has them all. The ops per second printed are
 * appends; p50, p99 and max latency are kept in the notes, over every
 * round. `idleCpuPercent` is the reader's CPU over one second after the
 * rounds, its live feed waiting.
 *
 * @example
 * ```ts
 * liveLatency('another process', async () => ({ writer, reader: readerInChildProcess(['sqlite', file]), after, close }), 8, 'live');
 * ```
 */
export function liveLatency(
  name: string,
  open: () => Promise<{ writer: FeedStore; reader: LiveReader; after: string | undefined; close(): Promise<void> }>,
  writers: number,
  label: string,
): Contender {
  const acked = new Map<string, number>();
  const received = new Map<string, number>();
  const latencies: number[] = [];
  let opened: Awaited<ReturnType<typeof open>> | undefined;
  let wake: (() => void) | undefined;
  let streamCounter = 0;
  let idleCpuPercent = Number.NaN;
  return {
    name,
    async setup() {
      opened = await open();
      await opened.reader.start(opened.after, (key, at) => {
        received.set(key, at);
        wake?.();
      });
    },
    async run(ops) {
      const keys: string[] = [];
      await Promise.all(
        Array.from({ length: writers }, async (_, lane) => {
          const stream = `${label}-${++streamCounter}`;
          const count = Math.floor(ops / writers) + (lane < ops % writers ? 1 : 0);
          for (let i = 0; i < count; i++) {
            const result = await opened!.writer.append(stream, { type: 'live', i });
            if (!result.ok) throw result.error;
            const key = `${stream}:${result.seq}`;
            acked.set(key, epochNow());
            keys.push(key);
          }
        }),
      );
      const deadline = performance.now() + 30_000;
      while (keys.some((key) => !received.has(key))) {
        if (performance.now() > deadline) throw new Error(`${name}: the live feed did not deliver every event within 30 s`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      for (const key of keys) latencies.push(Math.max(0, (received.get(key) as number) - (acked.get(key) as number)));
    },
    async teardown() {
      try {
        if (opened) idleCpuPercent = await opened.reader.idleCpuPercent();
      } finally {
        await opened?.reader.stop();
        await opened?.close();
      }
    },
    notes(): Notes {
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
      return {
        latencyP50Ms: at(0.5),
        latencyP99Ms: at(0.99),
        latencyMaxMs: sorted.at(-1) ?? Number.NaN,
        events: sorted.length,
        idleCpuPercent,
      };
    },
  };
}
