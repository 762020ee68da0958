import { checkCheckpoint } from '@hume/core';

/**
 * The memory store's checkpoints (clause C15): a map from name to position.
 *
 * @example
 * ```ts
 * const checkpoints = new MemoryCheckpoints();
 * checkpoints.save('balances', '0000000000000012');
 * ```
 */
export class MemoryCheckpoints {
  readonly #positions = new Map<string, string>();

  save(name: string, position: string): void {
    const invalid = checkCheckpoint(name, position);
    if (invalid) throw invalid;
    this.#positions.set(name, position);
  }

  load(name: string): string | undefined {
    const invalid = checkCheckpoint(name);
    if (invalid) throw invalid;
    return this.#positions.get(name);
  }

  clear(): void {
    this.#positions.clear();
  }
}
