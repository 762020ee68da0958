import type { EventStore, Json, JsonShaped, Seq, Snapshot, SnapshotStorage } from '@hume/core';

/** What a {@link countingStore} saw: each read's `from`, and how many events the reads yielded in all. */
export interface ReadCount {
  froms: Seq[];
  events: number;
}

/**
 * The store with its reads counted: how many events came out of the
 * database, the cost a snapshot is meant to save. Everything else goes
 * straight through.
 */
export function countingStore<P extends JsonShaped<P> = Json>(
  store: EventStore<P> & SnapshotStorage,
): { store: EventStore<P> & SnapshotStorage; count: ReadCount } {
  const count: ReadCount = { froms: [], events: 0 };
  const counted: EventStore<P> & SnapshotStorage = {
    append: (...args) => store.append(...args),
    appendMany: (...args) => (store.appendMany as NonNullable<typeof store.appendMany>).call(store, ...args),
    async *events(stream: string, from?: Seq) {
      count.froms.push(from ?? 0);
      for await (const event of store.events(stream, from)) {
        count.events++;
        yield event;
      }
    },
    saveSnapshot: (stream: string, name: string, snapshot: Snapshot) => store.saveSnapshot(stream, name, snapshot),
    loadSnapshot: (stream: string, name: string) => store.loadSnapshot(stream, name),
  };
  return { store: counted, count };
}
