import { type BackendError, isHumeError } from '@hume/core';
import type { PostgresEventStore } from '@hume/postgres';
import { expect } from 'vitest';

/** What a writer appends: its own id and a counter, so that every event is told apart and ordered per writer. */
type Payload = {
  readonly id: string;
  readonly writer: number;
  readonly n: number;
};

/** A writer: one store, the streams it appends to, with `expect` (streams of its own) or without (streams shared). */
export interface Writer {
  readonly store: PostgresEventStore;
  readonly streams: readonly string[];
  readonly withExpect: boolean;
}

/** What one append came to, kept for the checks. */
interface Settled {
  readonly at: number;
  readonly stream: string;
  readonly writer: number;
}

/**
 * Writers appending in a loop, each awaiting its append before the next,
 * and readers reading whole streams, until `stop()`. Every acknowledged
 * event is recorded (stream, seq, id); a `BACKEND` error with
 * `outcomeUnknown` is settled by reading the stream for the event's id (as
 * the README tells callers to), one without is retried (nothing was
 * stored). Readers check every read: seqs 1, 2, 3 … without a gap, holding
 * every event acknowledged before the read began, each at its seq.
 */
export class Load {
  /** stream → seq → id of every acknowledged event. */
  readonly acks = new Map<string, Map<number, string>>();
  readonly acked: Settled[] = [];
  /** Failures seen, by kind: `unknown` (outcomeUnknown: true), `refused` (BACKEND, not stored), reads that failed. */
  readonly failures = { unknown: 0, refused: 0, reads: 0, messages: new Set<string>() };
  /** Failed appends, with the time and stream, for the node-kill test. */
  readonly failed: Settled[] = [];
  reads = 0;
  readonly #problems: string[] = [];
  #stopped = false;
  readonly #running: Promise<void>[] = [];

  constructor(writers: readonly Writer[], readers: readonly PostgresEventStore[]) {
    writers.forEach((writer, index) => {
      this.#running.push(this.#write(writer, index));
    });
    const streams = [...new Set(writers.flatMap((writer) => writer.streams))];
    for (const reader of readers) this.#running.push(this.#read(reader, streams));
  }

  /** Ends the loops; resolves once every call in flight settled. Throws the first problem a reader or writer found. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#running);
    expect(this.#problems).toEqual([]);
  }

  /** Acknowledged appends since `since` (ms, `performance.now()`), optionally only on `streams`. */
  ackedSince(since: number, streams?: ReadonlySet<string>): number {
    return this.acked.filter((ack) => ack.at >= since && (streams === undefined || streams.has(ack.stream))).length;
  }

  async #write({ store, streams, withExpect }: Writer, writer: number): Promise<void> {
    const last = new Map(streams.map((stream) => [stream, 0]));
    for (let n = 0; !this.#stopped; n++) {
      const stream = streams[n % streams.length] as string;
      const payload: Payload = { id: `w${writer}-${n}`, writer, n };
      for (let settled = false; !settled; ) {
        try {
          const result = withExpect ? await store.append(stream, payload, last.get(stream) ?? 0) : await store.append(stream, payload);
          if (result.ok) {
            this.#ack(stream, result.seq, payload.id, writer);
            last.set(stream, result.seq);
          } else {
            this.#problems.push(
              `${payload.id}: a conflict on ${stream}, whose only writer expected ${last.get(stream)}: ${result.error.message}`,
            );
          }
          settled = true;
        } catch (error) {
          if (!isHumeError(error, 'BACKEND')) throw error;
          this.failed.push({ at: performance.now(), stream, writer });
          this.failures.messages.add((error as Error).message.replace(/"[^"]*"/g, '…').slice(0, 160));
          if ((error as BackendError).outcomeUnknown) {
            this.failures.unknown++;
            const seq = await this.#find(store, stream, payload.id);
            if (seq !== undefined) {
              this.#ack(stream, seq, payload.id, writer);
              last.set(stream, seq);
              settled = true;
            }
          } else {
            this.failures.refused++;
            await pause(50);
          }
        }
      }
    }
  }

  /** The seq of the event `id` in `stream`, reading until a read succeeds (the node may be down). */
  async #find(store: PostgresEventStore, stream: string, id: string): Promise<number | undefined> {
    // A statement whose connection was lost may still be finishing on the server.
    await pause(1000);
    for (;;) {
      try {
        for await (const event of store.events(stream)) if ((event.payload as Payload).id === id) return event.seq;
        return undefined;
      } catch (error) {
        if (!isHumeError(error, 'BACKEND')) throw error;
        await pause(200);
      }
    }
  }

  #ack(stream: string, seq: number, id: string, writer: number): void {
    let seqs = this.acks.get(stream);
    if (seqs === undefined) {
      seqs = new Map();
      this.acks.set(stream, seqs);
    }
    const before = seqs.get(seq);
    if (before !== undefined) this.#problems.push(`${stream} seq ${seq} acknowledged twice: ${before} and ${id}`);
    seqs.set(seq, id);
    this.acked.push({ at: performance.now(), stream, writer });
  }

  async #read(store: PostgresEventStore, streams: readonly string[]): Promise<void> {
    for (let i = 0; !this.#stopped; i++) {
      const stream = streams[i % streams.length] as string;
      const before = new Map(this.acks.get(stream) ?? []);
      const events: { seq: number; id: string }[] = [];
      try {
        for await (const event of store.events(stream)) events.push({ seq: event.seq, id: (event.payload as Payload).id });
      } catch (error) {
        if (!isHumeError(error, 'BACKEND')) throw error;
        this.failures.reads++;
        await pause(50);
        continue;
      }
      this.reads++;
      events.forEach((event, index) => {
        if (event.seq !== index + 1) this.#problems.push(`a read of ${stream} gave seq ${event.seq} at position ${index + 1}`);
      });
      for (const [seq, id] of before) {
        if (events[seq - 1]?.id !== id) this.#problems.push(`a read of ${stream} missed ${id} at seq ${seq}, acknowledged before it began`);
      }
    }
  }
}

/**
 * Reads every stream once the load stopped: seqs 1 … n without a gap,
 * every acknowledged event at its seq, no event twice, each writer's
 * events in the order it appended them.
 */
export async function expectIntact(store: PostgresEventStore, load: Load): Promise<number> {
  let total = 0;
  for (const [stream, acks] of load.acks) {
    const events: Payload[] = [];
    const seqs: number[] = [];
    for await (const event of store.events(stream)) {
      events.push(event.payload as Payload);
      seqs.push(event.seq);
    }
    expect(seqs, stream).toEqual(events.map((_, index) => index + 1));
    for (const [seq, id] of acks) expect(events[seq - 1]?.id, `${stream} seq ${seq}`).toBe(id);
    const ids = events.map((event) => event.id);
    expect(new Set(ids).size, `${stream}: an event stored twice`).toBe(ids.length);
    const byWriter = new Map<number, number[]>();
    for (const event of events) byWriter.set(event.writer, [...(byWriter.get(event.writer) ?? []), event.n]);
    for (const [writer, ns] of byWriter) expect(ns, `${stream}: writer ${writer}'s order`).toEqual([...ns].sort((a, b) => a - b));
    total += events.length;
  }
  return total;
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
