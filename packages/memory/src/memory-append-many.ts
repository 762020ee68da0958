import { type AppendManyResult, type Event, type Seq, UnexpectedSeqError } from '@hume/core';
import { deepFreeze } from './deep-freeze.js';

/**
 * Pushes a checked batch (its JSON texts) onto a stream's array: all of it
 * at last + 1 … last + n, or nothing on a conflict. Synchronous, so no other
 * append of this process can land between two events of the batch, and no
 * read sees part of it (clauses C11.1, C11.4, C11.5).
 *
 * @example
 * ```ts
 * const result = pushBatch(streams, 'cart-1', ['{"type":"opened"}', '{"type":"item-added"}'], 0);
 * ```
 */
export function pushBatch<P>(
  streams: Map<string, Event<P>[]>,
  stream: string,
  jsons: readonly string[],
  expect: Seq | null | undefined,
): AppendManyResult {
  const events = streams.get(stream) ?? [];
  const last = events.length;
  if (expect != null && expect !== last) return { ok: false, error: new UnexpectedSeqError(stream, expect, last) };
  // Parsed before anything is pushed: a batch is all or nothing even if memory runs short half way.
  const parsed = jsons.map((json, index) => deepFreeze({ seq: last + 1 + index, payload: JSON.parse(json) as P }));
  for (const event of parsed) events.push(event);
  if (last === 0) streams.set(stream, events);
  return { ok: true, first: last + 1, seq: last + jsons.length };
}
