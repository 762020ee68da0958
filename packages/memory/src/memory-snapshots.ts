import { checkSnapshotKey, type Json, prepareSnapshot, type Snapshot } from '@hume/core';
import { deepFreeze } from './deep-freeze.js';

/**
 * The memory store's snapshots (clause C14): one per (stream, name), kept
 * as deep-frozen copies parsed from the JSON text that was checked, so the
 * caller's object is never kept and the one handed out cannot change.
 *
 * @example
 * ```ts
 * const snapshots = new MemorySnapshots(16 * 1024 * 1024);
 * await snapshots.save('account-1', 'balance', { version: 1, seq: 3, state: { balance: 5 } });
 * ```
 */
export class MemorySnapshots {
  // Keyed by stream, then name: no separator to escape.
  readonly #byStream = new Map<string, Map<string, Snapshot>>();
  readonly #maxPayloadBytes: number;

  constructor(maxPayloadBytes: number) {
    this.#maxPayloadBytes = maxPayloadBytes;
  }

  save(stream: string, name: string, snapshot: Snapshot): void {
    const prepared = prepareSnapshot(stream, name, snapshot, { maxPayloadBytes: this.#maxPayloadBytes });
    if (!prepared.ok) throw prepared.error;
    const { version, seq, stateJson } = prepared;
    const names = this.#byStream.get(stream) ?? new Map<string, Snapshot>();
    names.set(name, deepFreeze({ version, seq, state: JSON.parse(stateJson) as Json }));
    this.#byStream.set(stream, names);
  }

  load(stream: string, name: string): Snapshot | undefined {
    const invalid = checkSnapshotKey(stream, name);
    if (invalid) throw invalid;
    return this.#byStream.get(stream)?.get(name);
  }

  clear(): void {
    this.#byStream.clear();
  }
}
