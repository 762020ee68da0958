// Emmett's nearest thing to Hume's feed: the batch read its PostgreSQL
// consumer pulls messages with (`readMessagesBatch`), read the way the
// consumer's puller reads it, without the checkpoint the consumer stores
// after each message (Hume's feed leaves checkpoints to its caller).
import { readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import type pg from 'pg';
import { openEmmettPostgres } from './emmett-postgres.js';
import type { Contender } from './scenario.js';

/**
 * Creates Emmett's schema on `url` and appends `events` events of
 * `payload` in `streams` streams, one `appendToStream` (one transaction)
 * per stream: setup, not measured.
 *
 * @example
 * ```ts
 * await fillEmmettFeed(url, 100_000, 100, { type: 'item-added' });
 * ```
 */
export async function fillEmmettFeed(url: string, events: number, streams: number, payload: Record<string, unknown>): Promise<void> {
  const store = await openEmmettPostgres(url);
  try {
    for (let stream = 0; stream < streams; stream++) {
      const count = Math.floor(events / streams) + (stream < events % streams ? 1 : 0);
      if (count > 0)
        await store.appendToStream(
          `f-${stream}`,
          Array.from({ length: count }, () => ({ type: 'ItemAdded', data: payload })),
        );
    }
  } finally {
    await store.close();
  }
}

/**
 * A contender reading every message of Emmett's store through
 * `readMessagesBatch`, `pageSize` at a time after the last global position,
 * as `postgreSQLEventStoreMessageBatchPuller` does, on a connection of
 * `pool` (its executor is a plain `query`: the batch's SQL is text).
 *
 * @example
 * ```ts
 * contenders.push(emmettFeedPages('emmett-postgresql readMessagesBatch pages', pool, 100_000, 1_000));
 * ```
 */
export function emmettFeedPages(name: string, pool: pg.Pool, events: number, pageSize: number): Contender {
  const execute = { query: (sql: unknown) => pool.query(String(sql)) } as unknown as Parameters<typeof readMessagesBatch>[0];
  return {
    name,
    async run() {
      let read = 0;
      let batch = await readMessagesBatch(execute, { from: 0n, batchSize: pageSize });
      for (;;) {
        for (const message of batch.messages) if (message.data !== null) read++;
        if (!batch.areMessagesLeft) break;
        batch = await readMessagesBatch(execute, { after: batch.currentGlobalPosition, batchSize: pageSize });
      }
      if (read < events) throw new Error(`readMessagesBatch read ${read} of ${events} messages`);
    },
  };
}
