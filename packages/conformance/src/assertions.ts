import { inspect, isDeepStrictEqual } from 'node:util';
import type { Event, Seq } from '@hume/core';
import { ConformanceFailure } from './conformance-failure.js';

/** The kit's assertions: they throw `ConformanceFailure` with what was expected and what was seen. */

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

export function assertEqual<T>(actual: unknown, expected: T, what: string): asserts actual is T {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new ConformanceFailure(`${what}: expected ${show(expected)}, saw ${show(actual)}`, { expected, actual });
  }
}

/** Requires `events` to be the run from+1 … from+n: ascending, gap-free. */
export function assertRun(events: readonly Event<unknown>[], from: Seq, what: string): void {
  events.forEach((event, index) => {
    if (event.seq !== from + 1 + index) {
      const seen = events.slice(Math.max(0, index - 2), index + 3).map((e) => e.seq);
      throw new ConformanceFailure(
        `${what}: event #${index} should have seq ${from + 1 + index}, saw ${show(event.seq)} (around: ${show(seen)})`,
        {
          expected: from + 1 + index,
          actual: event.seq,
        },
      );
    }
  });
}

/** Requires an error's message to name `argument` as a word ("unexpected" does not name `expect`). */
export function assertNamesArgument(error: unknown, argument: string): void {
  const message = (error as { message?: unknown } | undefined)?.message;
  assert(
    typeof message === 'string' && new RegExp(`\\b${argument}\\b`).test(message),
    `the message must name the argument ${show(argument)} (got ${show(message)})`,
  );
}

export function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Number.POSITIVE_INFINITY, maxArrayLength: 12, maxStringLength: 80 });
}

export function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    const { code, name, message } = error as { code?: unknown; name?: unknown; message: string };
    return `${code === undefined ? String(name ?? 'Error') : `[${String(code)}]`} ${message}`;
  }
  return show(error);
}
