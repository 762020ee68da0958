import type { AppendError } from './append-result.js';
import type { Seq } from './seq.js';

/**
 * What `appendMany` resolves to: on success the seqs of the batch, `first`
 * to `seq` (the last one's, so it chains into the next `expect`); on failure
 * the same errors as `append`, and nothing of the batch is stored.
 *
 * @example
 * ```ts
 * const result = await store.appendMany('cart-1', [{ type: 'opened' }, { type: 'item-added' }], 0);
 * if (result.ok) console.log(`stored at ${result.first}..${result.seq}`);
 * ```
 */
export type AppendManyResult =
  | { readonly ok: true; readonly first: Seq; readonly seq: Seq }
  | { readonly ok: false; readonly error: AppendError };
