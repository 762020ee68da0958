import type { AppendManyResult } from './append-many-result.js';
import type { EventStore } from './event-store.js';
import type { JsonShaped } from './json.js';
import { checkAppendMany } from './prepare-append-many.js';
import type { Seq } from './seq.js';

/**
 * Appends a batch through any store that has the optional `appendMany`,
 * checking the arguments with the shared rules first, so a bad batch is
 * refused the same way whatever the adapter. A store without `appendMany`
 * is a programming error (there is no atomic fallback): the promise rejects
 * with a `TypeError`.
 *
 * @example
 * ```ts
 * const result = await appendMany(store, 'cart-1', [{ type: 'opened' }, { type: 'item-added', sku: 'a1' }], 0);
 * if (result.ok) console.log(`stored at ${result.first}..${result.seq}`);
 * ```
 */
export async function appendMany<P extends JsonShaped<P>>(
  store: EventStore<P>,
  stream: string,
  payloads: readonly P[],
  expect?: Seq | null,
): Promise<AppendManyResult> {
  if (typeof store.appendMany !== 'function') {
    throw new TypeError('the store has no appendMany (an optional capability of contract 1.1): append one event at a time instead');
  }
  const invalid = checkAppendMany(stream, payloads, expect);
  if (invalid) return { ok: false, error: invalid };
  return store.appendMany(stream, payloads, expect);
}
