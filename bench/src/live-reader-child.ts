// A live feed in a process of its own, for the live-delivery rows: a read
// model's worker is a process apart from the writers, so across processes is
// the latency that matters. It stamps each event on arrival with a clock both
// processes share (epoch milliseconds) and sends the stamps in batches, so
// the IPC channel's own delay is not counted against the store.
import { PostgresEventStore } from '@hume/postgres';
import { SqliteEventStore } from '@hume/sqlite';
import { epochNow, type FromReader, type ToReader } from './live-reader-protocol.js';

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
  const stop = new AbortController();
  let reading: Promise<void> = Promise.resolve();
  let stamps: [string, number][] = [];
  const flush = (): void => {
    send({ type: 'received', events: stamps });
    stamps = [];
  };
  const fail = (error: unknown): void => send({ type: 'failed', reason: error instanceof Error ? error.message : String(error) });
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message: ToReader) => {
    try {
      if (message.type === 'start') {
        const feed = store.feed(message.after, { live: true, signal: stop.signal, onCaughtUp: () => send({ type: 'caught-up' }) });
        reading = (async () => {
          for await (const event of feed) {
            if (stamps.length === 0) setImmediate(flush);
            stamps.push([`${event.stream}:${event.seq}`, epochNow()]);
          }
        })();
        reading.catch(fail);
      } else if (message.type === 'idle') {
        const cpu = process.cpuUsage();
        const started = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const used = process.cpuUsage(cpu);
        send({ type: 'idle', cpuPercent: ((used.user + used.system) / 1000 / (performance.now() - started)) * 100 });
      } else {
        stop.abort();
        await reading;
        await store.close();
        send({ type: 'stopped' });
      }
    } catch (error) {
      fail(error);
    }
  });
  send({ type: 'listening' });
}

function send(message: FromReader): void {
  if (process.connected) process.send?.(message);
}
