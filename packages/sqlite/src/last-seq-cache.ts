import type { Seq } from '@hume/core';

/**
 * The last seq this store saw per stream, for the most recently seen
 * streams (at most `capacity`, the oldest forgotten first). A hint, never
 * the truth: other connections append too, so an append that uses it
 * inserts only if the guess is still the stream's last seq (see
 * `SqliteAppendWriter#writeAlone`).
 *
 * @example
 * ```ts
 * const cache = new LastSeqCache(1024);
 * cache.set('cart-1', 3);
 * cache.get('cart-1'); // 3
 * ```
 */
// Stryker disable all: a hint whose every guess the append's statement checks (SqliteAppendWriter#writeAlone): its mutants change speed and memory, never an outcome
export class LastSeqCache {
  readonly #seqs = new Map<string, Seq>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(stream: string): Seq | undefined {
    return this.#seqs.get(stream);
  }

  set(stream: string, seq: Seq): void {
    if (!this.#seqs.has(stream) && this.#seqs.size >= this.#capacity) {
      const oldest = this.#seqs.keys().next();
      if (!oldest.done) this.#seqs.delete(oldest.value);
    }
    this.#seqs.set(stream, seq);
  }

  clear(): void {
    this.#seqs.clear();
  }
}
// Stryker restore all
