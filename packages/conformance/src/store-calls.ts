import type { AppendResult, Event, Seq } from '@hume/core';
import { assert, assertEqual, assertNamesArgument, describeError, show } from './assertions.js';
import { ConformanceFailure } from './conformance-failure.js';
import type { AnyEventStore } from './target.js';

/** Calls into the store under test, turning each way it can misbehave into a failure that says so. */

/** Calls `append`, turning a rejection into a failure (clause C8.1). */
export async function callAppend(store: AnyEventStore, stream: unknown, payload: unknown, expect?: unknown): Promise<AppendResult> {
  let result: unknown;
  try {
    result = await store.append(stream as string, payload as never, expect as Seq | null | undefined);
  } catch (error) {
    throw new ConformanceFailure(
      `append(${describeArguments(stream)}, …, ${show(expect)}) rejected instead of resolving: ${describeError(error)}`,
    );
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
    throw new ConformanceFailure(
      `append to ${describeArguments(stream)} with expect ${show(expect)} failed: ${describeError(result.error)}`,
    );
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
  assertConflict(result, expect, actual, 'a conflict');
}

/** Requires `result` to be an UNEXPECTED_SEQ conflict with these fields. */
export function assertConflict(result: AppendResult, expected: number, actual: number, what: string): void {
  assert(!result.ok, `${what} should have failed, but it was stored at seq ${result.ok ? result.seq : ''}`);
  assertEqual(result.error?.code, 'UNEXPECTED_SEQ', `error.code of ${what}`);
  if (result.error.code !== 'UNEXPECTED_SEQ') return;
  assertEqual(result.error.expected, expected, `error.expected of ${what}`);
  assertEqual(result.error.actual, actual, `error.actual of ${what}`);
}

/** Appends a bad argument and requires INVALID_ARGUMENT naming it (clause C7.4). */
export async function appendInvalid(
  store: AnyEventStore,
  stream: unknown,
  payload: unknown,
  expect: unknown,
  argument: string,
): Promise<void> {
  const result = await callAppend(store, stream, payload, expect);
  assert(
    !result.ok,
    `append accepted an invalid ${argument} (${describeArguments(stream, payload, expect)}) and stored it at seq ${result.ok ? result.seq : ''}`,
  );
  assertEqual(result.error?.code, 'INVALID_ARGUMENT', `error.code for an invalid ${argument}`);
  assertNamesArgument(result.error, argument);
}

/**
 * Reads a stream into an array. Fails as soon as a seq is not above the one
 * before (C4.1), so a read that restarts a page fails at once rather than
 * running forever, and after `limit` events when given.
 */
export async function readAll(
  store: AnyEventStore,
  stream: string,
  from?: Seq,
  limit = Number.POSITIVE_INFINITY,
): Promise<Event<unknown>[]> {
  const events: Event<unknown>[] = [];
  let previous = from ?? 0;
  try {
    for await (const event of from === undefined ? store.events(stream) : store.events(stream, from)) {
      assert(
        typeof event === 'object' && event !== null && typeof event.seq === 'number',
        `events must yield { seq, payload } objects (got ${show(event)})`,
      );
      assert(event.seq > previous, `events must yield seqs above from and strictly ascending (C4.1): after ${previous} came ${event.seq}`);
      assert(events.length < limit, `reading ${describeArguments(stream)} from ${show(from)} yielded more than the ${limit} events it has`);
      previous = event.seq;
      events.push(event);
    }
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    throw new ConformanceFailure(`reading ${describeArguments(stream)} from ${show(from)} failed: ${describeError(error)}`);
  }
  return events;
}

/** The stream's events as [seq, payload] pairs, for comparisons. */
export async function contents(store: AnyEventStore, stream: string): Promise<[Seq, unknown][]> {
  return (await readAll(store, stream)).map((event) => [event.seq, event.payload]);
}

/** Requires a read's first `next()` to reject with `code` (clauses C7.5, C8.2, C8.3); returns the rejection. */
export async function readRejects(store: AnyEventStore, stream: unknown, from: unknown, code: string, what: string): Promise<unknown> {
  let iterable: AsyncIterable<Event<unknown>>;
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
    assertEqual((error as { code?: unknown } | undefined)?.code, code, `code of the rejection for ${what} (${describeError(error)})`);
    return error;
  }
}

function describeArguments(...values: unknown[]): string {
  return values
    .map((value) => (typeof value === 'string' && value.length > 60 ? `"${value.slice(0, 24)}…" (${value.length} chars)` : show(value)))
    .join(', ');
}
