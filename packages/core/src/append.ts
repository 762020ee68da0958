import type { AppendResult } from './append-result.js';
import { checkAppend } from './check-arguments.js';
import type { EventStore } from './event-store.js';
import type { JsonShaped } from './json.js';
import type { Seq } from './seq.js';

/**
 * Appends through any store, checking the arguments with the shared rules
 * first, so a bad argument is refused the same way whatever the adapter.
 *
 * @example
 * ```ts
 * const result = await append(store, 'cart-1', { type: 'opened' }, 0);
 * if (result.ok) console.log('stored at', result.seq);
 * ```
 */
export async function append<P extends JsonShaped<P>>(
  store: EventStore<P>,
  stream: string,
  payload: P,
  expect?: Seq | null,
): Promise<AppendResult> {
  const invalid = checkAppend(stream, payload, expect);
  if (invalid) return { ok: false, error: invalid };
  return store.append(stream, payload, expect);
}
