import type { Event } from '@hume/core';
import { assert, assertEqual, assertRun } from '../assertions.js';
import type { RaceOutcome } from './run-racer.js';

/**
 * Checks what racers reported against the stream they raced on: each append
 * succeeded or conflicted (none rejected), the stream holds exactly the
 * acknowledged events at the seqs acknowledged, an append with `expect`
 * stored at `expect + 1`, and a conflict's `actual` is a seq the stream
 * really passed.
 */
export function checkRace(outcomes: readonly RaceOutcome[], events: readonly Event<unknown>[], expected: number): void {
  assertEqual(outcomes.length, expected, 'outcomes reported by the racers');
  const rejected = outcomes.filter((outcome) => outcome.rejected !== undefined);
  assert(
    rejected.length === 0,
    `${rejected.length} of ${outcomes.length} racing appends failed instead of succeeding or conflicting, e.g. ${rejected[0]?.client} #${rejected[0]?.n} (expect ${rejected[0]?.expect}): ${rejected[0]?.rejected}`,
  );
  assertRun(events, 0, 'the stream after the race');
  const stored = outcomes.filter((outcome) => outcome.seq !== undefined);
  assertEqual(events.length, stored.length, 'events in the stream, one per acknowledged append');
  for (const outcome of stored) {
    const { client, n, expect, seq = 0 } = outcome;
    assertEqual(events[seq - 1]?.payload, { client, n }, `payload at seq ${seq}, acknowledged to ${client} #${n}`);
    if (expect !== null) assertEqual(seq, expect + 1, `seq of ${client} #${n}, appended with expect ${expect}`);
  }
  for (const { client, n, expect, actual } of outcomes) {
    if (actual === undefined) continue;
    assert(
      expect !== null && actual > expect && actual <= events.length,
      `${client} #${n} conflicted with expect ${expect} and actual ${actual}: the stream only grows, so actual must be above expect and at most ${events.length}`,
    );
  }
}
