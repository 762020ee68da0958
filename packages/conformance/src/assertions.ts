import { inspect, isDeepStrictEqual } from 'node:util';
import type { AppendResult, Event, Json, Seq } from '@hume/core';
import { ConformanceFailure } from './conformance-failure.js';
import type { AnyEventStore } from './target.js';

/**
 * The kit's assertions. They throw `ConformanceFailure` with what was
 * expected and what was seen, and never depend on a test runner.
 */

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

export function assertEqual<T>(actual: unknown, expected: T, what: string): asserts actual is T {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new ConformanceFailure(`${what}: expected ${show(expected)}, saw ${show(actual)}`, { expected, actual });
  }
}

export function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Number.POSITIVE_INFINITY, maxArrayLength: 12, maxStringLength: 80 });
}

/** Calls `append`, turning a rejection into a failure that says so (clause C8.1). */
export async function callAppend(store: AnyEventStore, stream: string, payload: unknown, expect?: unknown): Promise<AppendResult> {
  let result: unknown;
  try {
    result = await store.append(stream, payload as Json, expect as Seq | null | undefined);
  } catch (error) {
    throw new ConformanceFailure(`append(${show(stream)}, …, ${show(expect)}) rejected instead of resolving: ${describeError(error)}`);
  }
  assert(
    typeof result === 'object' && result !== null && typeof (result as { ok: unknown }).ok === 'boolean',
    `append must resolve to { ok: true, seq } or { ok: false, error } (got ${show(result)})`,
  );
  return result as AppendResult;
}

/** Appends and requires success; returns the seq. */
export async function appendOk(store: AnyEventStore, stream: string, payload: unknown, expect?: unknown): Promise<Seq> {
  const result = await callAppend(store, stream, payload, expect);
  if (!result.ok) {
    throw new ConformanceFailure(`append to ${show(stream)} with expect ${show(expect)} failed: ${describeError(result.error)}`);
  }
  assert(Number.isSafeInteger(result.seq) && result.seq > 0, `append must resolve to a positive integer seq (got ${show(result.seq)})`);
  return result.seq;
}

/** Appends and requires an UNEXPECTED_SEQ conflict with these fields (clause C2.4). */
export async function appendConflict(
  store: AnyEventStore,
  stream: string,
  payload: unknown,
  expect: number,
  actual: number,
): Promise<void> {
  const result = await callAppend(store, stream, payload, expect);
  assert(
    !result.ok,
    `append with expect ${expect} succeeded (seq ${result.ok ? result.seq : ''}), but the stream's last seq was ${actual}`,
  );
  assertEqual(result.error?.code, 'UNEXPECTED_SEQ', 'error.code of a conflict');
  assertEqual(result.error.expected, expect, 'error.expected of a conflict');
  assertEqual(result.error.actual, actual, 'error.actual of a conflict');
}

/** Appends a bad argument and requires INVALID_ARGUMENT naming it (clause C7.4). */
export async function appendInvalid(
  store: AnyEventStore,
  stream: unknown,
  payload: unknown,
  expect: unknown,
  argument: string,
): Promise<void> {
  const result = await callAppend(store, stream as string, payload, expect);
  assert(
    !result.ok,
    `append accepted an invalid ${argument} (${describeArguments(stream, payload, expect)}) and stored it at seq ${result.ok ? result.seq : ''}`,
  );
  assertEqual(result.error?.code, 'INVALID_ARGUMENT', `error.code for an invalid ${argument}`);
  assert(
    typeof result.error.message === 'string' && result.error.message.includes(argument),
    `the message must name the argument ${show(argument)} (got ${show(result.error.message)})`,
  );
}

/** Reads a whole stream into an array, checking each event's shape. */
export async function readAll(store: AnyEventStore, stream: string, from?: Seq): Promise<Event[]> {
  const events: Event[] = [];
  try {
    for await (const event of from === undefined ? store.events(stream) : store.events(stream, from)) {
      assert(typeof event === 'object' && event !== null, `events must yield objects (got ${show(event)})`);
      events.push(event);
    }
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    throw new ConformanceFailure(`reading ${show(stream)} from ${show(from)} failed: ${describeError(error)}`);
  }
  return events;
}

/** Requires `events` to be the run from+1 … from+n: ascending, gap-free. */
export function assertRun(events: readonly Event[], from: Seq, what: string): void {
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

/** The stream's events as [seq, payload] pairs, for comparisons. */
export async function contents(store: AnyEventStore, stream: string): Promise<[Seq, unknown][]> {
  return (await readAll(store, stream)).map((event) => [event.seq, event.payload]);
}

/** Requires a read's first `next()` to reject with `code` (clauses C7.5, C8.2, C8.3). */
export async function readRejects(store: AnyEventStore, stream: unknown, from: unknown, code: string, what: string): Promise<unknown> {
  let iterable: AsyncIterable<Event>;
  try {
    iterable = store.events(stream as string, from as Seq);
  } catch (error) {
    throw new ConformanceFailure(
      `events(${describeArguments(stream, from)}) threw synchronously (${describeError(error)}); ${what} must reject the first next()`,
    );
  }
  try {
    const first = await iterable[Symbol.asyncIterator]().next();
    throw new ConformanceFailure(
      `events(${describeArguments(stream, from)}) resolved ${show(first)}; ${what} must reject with code ${code}`,
    );
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    assertEqual((error as { code?: unknown })?.code, code, `code of the rejection for ${what}`);
    return error;
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${code === undefined ? error.name : `[${String(code)}]`} ${error.message}`;
  }
  return show(error);
}

function describeArguments(...values: unknown[]): string {
  return values
    .map((value) => (typeof value === 'string' && value.length > 60 ? `"${value.slice(0, 20)}…" (${value.length} chars)` : show(value)))
    .join(', ');
}
