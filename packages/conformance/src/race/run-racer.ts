import type { Seq } from '@hume/core';
import type { AnyEventStore } from '../target.js';

/** One racer's part: how many appends, on which stream. */
export interface RacerPlan {
  readonly client: string;
  readonly stream: string;
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
  /** `Date.now()` just before the append was called: tells whether it was made while a held lock was still held. */
  readonly startedAt: number;
}

/**
 * Appends to one hot stream as fast as it can, every other append with the
 * `expect` this racer last learnt (its own seq or a conflict's `actual`), so
 * that the appends of all racers contend for the write lock and cross each
 * other between reading the last seq and writing. Racers in child processes
 * begin when the parent says `go` (see child-worker), so that all begin together.
 */
export async function runRacer(store: AnyEventStore, plan: RacerPlan, record: (outcome: RaceOutcome) => void): Promise<void> {
  let known: Seq = 0;
  for (let n = 0; n < plan.appends; n++) {
    const expect = n % 2 === 0 ? known : null;
    const startedAt = Date.now();
    try {
      const result = await store.append(plan.stream, { client: plan.client, n } as never, expect);
      if (result.ok) known = result.seq;
      else if (result.error.code === 'UNEXPECTED_SEQ') known = result.error.actual;
      record(
        result.ok
          ? { client: plan.client, n, expect, startedAt, seq: result.seq }
          : result.error.code === 'UNEXPECTED_SEQ'
            ? { client: plan.client, n, expect, startedAt, actual: result.error.actual }
            : { client: plan.client, n, expect, startedAt, rejected: `resolved with ${result.error.code}: ${result.error.message}` },
      );
    } catch (error) {
      const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
      record({ client: plan.client, n, expect, startedAt, rejected: `[${String(code)}] ${String(message ?? error)}` });
    }
  }
}
