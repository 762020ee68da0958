import type { AppendManyResult, Seq } from '@hume/core';
import { assert, assertEqual, assertNamesArgument, describeError, show } from './assertions.js';
import { ConformanceFailure } from './conformance-failure.js';
import type { AnyEventStore } from './target.js';

/** Calls into a store's `appendMany` (clause C11), turning each way it can misbehave into a failure that says so. */

/** Calls `appendMany`, turning a rejection or a malformed result into a failure (clause C8.1). */
export async function callAppendMany(
  store: AnyEventStore,
  stream: unknown,
  payloads: unknown,
  expect?: unknown,
): Promise<AppendManyResult> {
  assert(typeof store.appendMany === 'function', 'the store has no appendMany');
  let result: unknown;
  try {
    result = await store.appendMany(stream as string, payloads as never[], expect as Seq | null | undefined);
  } catch (error) {
    throw new ConformanceFailure(`appendMany(${show(stream)}, …, ${show(expect)}) rejected instead of resolving: ${describeError(error)}`);
  }
  assert(
    typeof result === 'object' && result !== null && typeof (result as { ok: unknown }).ok === 'boolean',
    `appendMany must resolve to { ok: true, first, seq } or { ok: false, error } (got ${show(result)})`,
  );
  return result as AppendManyResult;
}

/** Appends a batch and requires success with contiguous seqs `first`…`seq`; returns them. */
export async function appendManyOk(
  store: AnyEventStore,
  stream: string,
  payloads: readonly unknown[],
  expect?: unknown,
): Promise<{ first: Seq; seq: Seq }> {
  const result = await callAppendMany(store, stream, payloads, expect);
  if (!result.ok) {
    throw new ConformanceFailure(
      `appendMany of ${payloads.length} events to ${show(stream)} with expect ${show(expect)} failed: ${describeError(result.error)}`,
    );
  }
  const { first, seq } = result;
  assert(
    Number.isSafeInteger(first) && Number.isSafeInteger(seq) && first > 0 && seq - first + 1 === payloads.length,
    `appendMany of ${payloads.length} events must resolve to { ok: true, first, seq } with seq - first + 1 = ${payloads.length} (got ${show(result)})`,
  );
  return { first, seq };
}

/** Appends a bad batch and requires INVALID_ARGUMENT naming `argument` (clause C11.3). */
export async function appendManyInvalid(
  store: AnyEventStore,
  stream: unknown,
  payloads: unknown,
  expect: unknown,
  argument: string,
): Promise<string> {
  const result = await callAppendMany(store, stream, payloads, expect);
  assert(
    !result.ok,
    `appendMany accepted an invalid ${argument} and stored it at seqs ${result.ok ? `${result.first}…${result.seq}` : ''}`,
  );
  assertEqual(result.error?.code, 'INVALID_ARGUMENT', `error.code for an invalid ${argument}`);
  assertNamesArgument(result.error, argument);
  return String(result.error.message);
}
