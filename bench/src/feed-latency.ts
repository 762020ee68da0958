import type { FeedEvent, FeedOptions, Json } from '@hume/core';
import type { Contender, Notes } from './scenario.js';

/** What a live latency contender needs of a store: appends and a feed. */
export interface FeedStore {
  append(stream: string, payload: Json): Promise<{ ok: true; seq: number } | { ok: false; error: Error }>;
  feed?(after?: string, options?: FeedOptions): AsyncIterable<FeedEvent<Json>>;
}

const now = (): number => performance.now();

/**
 * Live delivery latency: `writers` callers append to fresh streams of
 * their own (each append awaited) through `writer`, while a live feed of
 * `reader` started before the first round yields them. Latency is from
 * the append's acknowledgement (its promise resolving) to the reader's
 * loop receiving the event; a round ends once the reader has them all.
 * The ops per second printed are appends; p50, p99 and max latency are
 * kept in the notes, over every round. `idleCpuPercent` is the process's
 * CPU over one second after the rounds, the live feed waiting.
 *
 * @example
 * ```ts
 * liveLatency('another store', () => ({ writer, reader, after }), 8, 'pg-live');
 * ```
 */
export function liveLatency(
  name: string,
  open: () => Promise<{ writer: FeedStore; reader: FeedStore; after: string | undefined; close(): Promise<void> }>,
  writers: number,
  label: string,
): Contender {
  const acked = new Map<string, number>();
  const received = new Map<string, number>();
  const latencies: number[] = [];
  const stop = new AbortController();
  let reading: Promise<void> | undefined;
  let opened: Awaited<ReturnType<typeof open>> | undefined;
  let wake: (() => void) | undefined;
  let streamCounter = 0;
  let idleCpuPercent = Number.NaN;
  return {
    name,
    async setup() {
      opened = await open();
      const { reader, after } = opened;
      const feed = reader.feed?.bind(reader);
      if (!feed) throw new Error(`${name}: the store has no feed()`);
      let caughtUp: () => void = () => undefined;
      const ready = new Promise<void>((resolve) => {
        caughtUp = resolve;
      });
      reading = (async () => {
        for await (const event of feed(after, { live: true, signal: stop.signal, onCaughtUp: () => caughtUp() })) {
          received.set(`${event.stream}:${event.seq}`, now());
          wake?.();
        }
      })();
      await ready;
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
            acked.set(key, now());
            keys.push(key);
          }
        }),
      );
      const deadline = now() + 30_000;
      while (keys.some((key) => !received.has(key))) {
        if (now() > deadline) throw new Error(`${name}: the live feed did not deliver every event within 30 s`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      for (const key of keys) latencies.push(Math.max(0, (received.get(key) as number) - (acked.get(key) as number)));
    },
    async teardown() {
      const cpu = process.cpuUsage();
      const started = now();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const used = process.cpuUsage(cpu);
      idleCpuPercent = ((used.user + used.system) / 1000 / (now() - started)) * 100;
      stop.abort();
      await reading;
      await opened?.close();
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
