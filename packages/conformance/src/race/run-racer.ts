import type { Seq } from '@hume/core';
import type { AnyEventStore } from '../target.js';

/** One racer's part: how many appends, on which stream, after which signal. */
export interface RacerPlan {
  readonly client: string;
  readonly stream: string;
  /** A stream that gets an event when every racer is ready: all start at once. */
  readonly start: string;
  readonly appends: number;
}

/** What became of one append of a racer. */
export interface RaceOutcome {
  readonly client: string;
  readonly n: number;
  readonly expect: Seq | null;
  readonly seq?: Seq;
  readonly actual?: Seq;
  readonly rejected?: string;
}

/**
 * Appends to one hot stream as fast as it can, every other append with the
 * `expect` this racer last learnt (its own seq or a conflict's `actual`), so
 * that the appends of all racers contend for the write lock and cross each
 * other between reading the last seq and writing. Waits for an event on the
 * start stream first, polling it, so that racers in several processes begin
 * together.
 */
export async function runRacer(store: AnyEventStore, plan: RacerPlan, record: (outcome: RaceOutcome) => void): Promise<void> {
  for (;;) {
    let started = false;
    for await (const _ of store.events(plan.start)) started = true;
    if (started) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  let known: Seq = 0;
  for (let n = 0; n < plan.appends; n++) {
    const expect = n % 2 === 0 ? known : null;
    try {
      const result = await store.append(plan.stream, { client: plan.client, n } as never, expect);
      if (result.ok) known = result.seq;
      else if (result.error.code === 'UNEXPECTED_SEQ') known = result.error.actual;
      record(
        result.ok
          ? { client: plan.client, n, expect, seq: result.seq }
          : result.error.code === 'UNEXPECTED_SEQ'
            ? { client: plan.client, n, expect, actual: result.error.actual }
            : { client: plan.client, n, expect, rejected: `resolved with ${result.error.code}: ${result.error.message}` },
      );
    } catch (error) {
      const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
      record({ client: plan.client, n, expect, rejected: `[${String(code)}] ${String(message ?? error)}` });
    }
  }
}
