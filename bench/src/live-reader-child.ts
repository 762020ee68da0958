// A live feed in a process of its own, for the live-delivery rows: a read
// model's worker is a process apart from the writers, so across processes is
// the latency that matters. It runs the same reader as an in-process row
// (readerOnStore: each event stamped on arrival with a clock both processes
// share) and sends the stamps in batches, so the IPC channel's own delay is
// not counted against the store.
import { PostgresEventStore } from '@hume/postgres';
import { SqliteEventStore } from '@hume/sqlite';
import { type FeedStore, readerOnStore } from './feed-latency.js';
import type { FromReader, ToReader } from './live-reader-protocol.js';

// Run as a child: `node live-reader-child.js sqlite <file>` or `… postgres <url> <schema>`.
serve(process.argv[2], process.argv[3], process.argv[4]);

function serve(kind: string | undefined, target: string | undefined, schema: string | undefined): void {
  if (target === undefined || (kind !== 'sqlite' && kind !== 'postgres')) {
    send({
      type: 'failed',
      reason: `usage: live-reader-child.js sqlite <file> | postgres <url> <schema>; got ${process.argv.slice(2).join(' ')}`,
    });
    return;
  }
  const store = kind === 'sqlite' ? new SqliteEventStore(target) : new PostgresEventStore(target, { schema });
  const reader = readerOnStore(store as unknown as FeedStore);
  let stamps: (readonly [string, number])[] = [];
  const flush = (): void => {
    send({ type: 'received', events: stamps });
    stamps = [];
  };
  const received = (key: string, at: number): void => {
    if (stamps.length === 0) setImmediate(flush);
    stamps.push([key, at]);
  };
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message: ToReader) => {
    try {
      if (message.type === 'start') {
        await reader.start(message.after, received);
        send({ type: 'caught-up' });
      } else if (message.type === 'idle') {
        send({ type: 'idle', cpuPercent: await reader.idleCpuPercent() });
      } else {
        await reader.stop();
        await store.close();
        send({ type: 'stopped' });
      }
    } catch (error) {
      send({ type: 'failed', reason: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ type: 'listening' });
}

function send(message: FromReader): void {
  if (process.connected) process.send?.(message);
}
