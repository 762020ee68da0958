import type { CheckpointStorage } from '@hume/core';

/**
 * Where a consumer keeps its checkpoint, and how a batch and its checkpoint
 * are committed. `commit` runs `apply` (the handler, given `Tx`) and saves
 * `position`; a sink that runs both in one transaction makes a consumer
 * exactly-once for the writes the handler makes through `Tx`.
 *
 * @example
 * ```ts
 * const sink: CheckpointSink<undefined> = storeCheckpoints(store);
 * await sink.commit('balances', position, async () => applyBatch());
 * ```
 */
export interface CheckpointSink<Tx> {
  load(name: string): Promise<string | undefined>;
  commit(name: string, position: string, apply: (transaction: Tx) => Promise<void>): Promise<void>;
}

/**
 * The default sink: the store's own checkpoints (clause C15), saved after
 * the handler returns. At-least-once: a crash between the two delivers the
 * batch again on restart.
 *
 * @example
 * ```ts
 * consume(store, { name: 'balances', handler, checkpoints: storeCheckpoints(otherStore) });
 * ```
 */
export function storeCheckpoints(storage: CheckpointStorage): CheckpointSink<undefined> {
  return {
    load: (name) => storage.loadCheckpoint(name),
    async commit(name, position, apply) {
      await apply(undefined);
      await storage.saveCheckpoint(name, position);
    },
  };
}
