import type { AppendError, AppendResult, Json, Seq } from '@hume/core';

/** What `appendMany` resolves to: the last and first seqs stored, or why nothing was. */
export type BatchResult =
  | { readonly ok: true; readonly seq: Seq; readonly first: Seq }
  | { readonly ok: false; readonly error: AppendError };

/** A store that may append many events in one call (`appendMany`, contract 1.1), else one at a time. */
export interface BatchTarget {
  append(stream: string, payload: Json, expect?: Seq | null): Promise<AppendResult>;
  appendMany?(stream: string, payloads: readonly Json[], expect?: Seq | null): Promise<BatchResult>;
}

/**
 * Appends `payloads` after seq `expect`: in one `appendMany` call (all or
 * nothing) when the store has it, else one `append` each, every one with
 * its `expect`, stopping at the first refusal. Either way an event is stored
 * only at the seq it was meant for, so an interrupted batch is resumed by
 * comparing what is there.
 *
 * @example
 * ```ts
 * const result = await appendBatch(target, 'cart-1', [{ a: 1 }, { a: 2 }], 0); // { ok: true, first: 1, seq: 2 }
 * ```
 */
export async function appendBatch(store: BatchTarget, stream: string, payloads: readonly Json[], expect: Seq): Promise<BatchResult> {
  if (typeof store.appendMany === 'function') return store.appendMany(stream, payloads, expect);
  let last = expect;
  for (const payload of payloads) {
    const result = await store.append(stream, payload, last);
    if (!result.ok) return result;
    last = result.seq;
  }
  return { ok: true, first: expect + 1, seq: last };
}
