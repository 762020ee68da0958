import type { EventStore, FeedEvent } from '@hume/core';
import { MemoryEventStore } from '@hume/memory';
import { type CheckpointSink, type ConsumerError, consume, storeCheckpoints } from '@hume/projections';
import { afterEach, describe, expect, it } from 'vitest';
import { type AccountEvent, deposit } from './account.js';
import { memoryKind, postgresKind, sqliteKind, tempDir } from './stores.js';

type Store = EventStore<AccountEvent> & {
  saveCheckpoint(name: string, position: string): Promise<void>;
  loadCheckpoint(name: string): Promise<string | undefined>;
};
const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close?.();
});

const key = (event: FeedEvent<AccountEvent>): string => `${event.stream}#${event.seq}`;

/** A sink over the store's checkpoints that counts its commits. */
function countingSink(store: Store): { sink: CheckpointSink<undefined>; commits: string[] } {
  const inner = storeCheckpoints(store);
  const commits: string[] = [];
  return {
    commits,
    sink: {
      load: (name) => inner.load(name),
      commit: async (name, position, apply) => {
        await inner.commit(name, position, apply);
        commits.push(position);
      },
    },
  };
}

describe.each([memoryKind, sqliteKind(tempDir()), postgresKind()])('a consumer on a $name store', (kind) => {
  const open = async (): Promise<Store> => {
    const { store } = await kind.open<AccountEvent>();
    opened.push(store as Store);
    return store as Store;
  };
  const fill = async (store: Store, streams: string[], each: number, tag = ''): Promise<void> => {
    for (let i = 0; i < each; i++) for (const stream of streams) await store.append(stream, deposit(`${tag}${stream}-${i}`, i));
  };

  it('applies every event once, in feed order, one checkpoint per batch, and ends when not live', async () => {
    const store = await open();
    await fill(store, ['acc-1', 'acc-2', 'other-1'], 10);
    const seen: string[] = [];
    const { sink, commits } = countingSink(store);
    const caughtUp: (string | undefined)[] = [];
    const consumer = consume(store, {
      name: 'all',
      live: false,
      batchSize: 7,
      checkpoints: sink,
      handler: (events) => {
        seen.push(...events.map(key));
      },
      onCaughtUp: (position) => caughtUp.push(position),
    });
    const stop = await consumer.done;
    const feed: string[] = [];
    let last: string | undefined;
    for await (const event of store.feed?.() ?? []) {
      feed.push(key(event));
      last = event.position;
    }
    expect(seen).toEqual(feed);
    expect(commits).toHaveLength(Math.ceil(30 / 7));
    expect(stop).toEqual({ reason: 'ended', position: last, applied: 30 });
    expect(caughtUp).toEqual([last]);
    expect(await store.loadCheckpoint('all')).toBe(last);
    expect(consumer.status()).toMatchObject({ state: 'stopped', position: last, applied: 30 });
  });

  it('resumes after its checkpoint, filtered by prefix', async () => {
    const store = await open();
    await fill(store, ['acc-1', 'other-1', 'acc-2'], 5);
    const seen: string[] = [];
    const handler = (events: readonly FeedEvent<AccountEvent>[]): void => {
      seen.push(...events.map(key));
    };
    await consume(store, { name: 'accounts', prefix: 'acc-', live: false, handler }).done;
    expect(seen).toHaveLength(10);
    expect(seen.every((k) => k.startsWith('acc-'))).toBe(true);
    await fill(store, ['acc-1', 'other-1'], 3, 'late-');
    seen.length = 0;
    await consume(store, { name: 'accounts', prefix: 'acc-', live: false, handler }).done;
    expect(seen).toEqual(['acc-1#6', 'acc-1#7', 'acc-1#8']);
  });

  it('filter passes events over by type, and the checkpoint moves past them all the same', async () => {
    const store = await open();
    await fill(store, ['acc-1'], 3);
    await store.append('acc-1', { type: 'withdrawn', id: 'w', amount: 1 });
    await fill(store, ['acc-2'], 2);
    const seen: string[] = [];
    const stop = await consume(store, {
      name: 'withdrawals',
      live: false,
      batchSize: 2,
      filter: (event) => event.payload.type === 'withdrawn',
      handler: (events) => {
        seen.push(...events.map(key));
      },
    }).done;
    expect(seen).toEqual(['acc-1#4']);
    expect(stop.applied).toBe(6);
    expect(await store.loadCheckpoint('withdrawals')).toBe(stop.position);
    await expect(consume(store, { name: 'n', handler: () => undefined, filter: 'x' as never }).done).rejects.toThrow(
      /^options\.filter must be a function/,
    );
  });

  it('live: applies events as they come, says when it is caught up, shows no lag then, and stops on abort', async () => {
    const store = await open();
    await fill(store, ['acc-1'], 3);
    const controller = new AbortController();
    const seen: string[] = [];
    let caughtUp = 0;
    let wake: () => void = () => undefined;
    const consumer = consume(store, {
      name: 'live',
      signal: controller.signal,
      handler: (events) => {
        seen.push(...events.map(key));
      },
      onCaughtUp: () => {
        caughtUp++;
        wake();
      },
    });
    const nextCaughtUp = () => new Promise<void>((resolve) => (wake = resolve));
    await nextCaughtUp();
    expect(seen).toEqual(['acc-1#1', 'acc-1#2', 'acc-1#3']);
    expect(consumer.status()).toMatchObject({ state: 'live', behindMs: 0, applied: 3 });
    const caught = nextCaughtUp();
    await store.append('acc-2', deposit('x', 1));
    await caught;
    expect(seen.at(-1)).toBe('acc-2#1');
    expect(caughtUp).toBeGreaterThanOrEqual(2);
    controller.abort();
    expect(await consumer.done).toMatchObject({ reason: 'aborted', applied: 4 });
  });

  it('retries a failing event with backoff, then stops naming it; nothing after it is applied or checkpointed', async () => {
    const store = await open();
    await fill(store, ['acc-1'], 4);
    await store.append('acc-1', { type: 'withdrawn', id: 'poison', amount: 1 });
    await fill(store, ['acc-1'], 3, 'after-');
    const applied: string[] = [];
    let poisonTries = 0;
    const consumer = consume(store, {
      name: 'strict',
      live: false,
      batchSize: 3,
      retry: { attempts: 3, initialMs: 5, maxMs: 20 },
      handler: (events) => {
        for (const event of events) {
          if (event.payload.id === 'poison') {
            poisonTries++;
            throw new Error('cannot apply the poison');
          }
        }
        applied.push(...events.map(key));
      },
    });
    const error = (await consumer.done.catch((caught: unknown) => caught)) as ConsumerError;
    expect(error).toMatchObject({
      code: 'CONSUMER_FAILED',
      event: { stream: 'acc-1', seq: 5 },
      attempts: 3,
      cause: { message: 'cannot apply the poison' },
    });
    expect(error.message).toContain('"acc-1" seq 5');
    // The batch [4, 5, 6] failed whole once, then event 4 went alone and 5 was tried until the attempts ran out.
    expect(applied).toEqual(['acc-1#1', 'acc-1#2', 'acc-1#3', 'acc-1#4']);
    expect(poisonTries).toBe(3);
    const positions: string[] = [];
    for await (const event of store.feed?.(undefined, { prefix: 'acc-1' }) ?? []) positions.push(event.position);
    expect(await store.loadCheckpoint('strict')).toBe(positions[3]);
    expect(consumer.status()).toMatchObject({ state: 'failed', applied: 4, lastError: { message: 'cannot apply the poison' } });
  });

  it('a handler that fails now and then gets every event applied once it recovers', async () => {
    const store = await open();
    await fill(store, ['acc-1', 'acc-2'], 10);
    const model = new Map<string, number>();
    let calls = 0;
    await consume(store, {
      name: 'flaky',
      live: false,
      batchSize: 4,
      retry: { attempts: 4, initialMs: 1, maxMs: 2 },
      handler: (events) => {
        if (++calls % 3 === 0) throw new Error('flaky');
        // All or nothing per call, like a transaction.
        for (const event of events) model.set(key(event), event.payload.amount);
      },
    }).done;
    expect(model.size).toBe(20);
  });

  it('refuses bad options by rejecting done, never by throwing', async () => {
    const store = await open();
    await expect(consume(store, { name: '', handler: () => undefined }).done).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^name /),
    });
    await expect(consume(store, { name: 'n', handler: () => undefined, batchSize: 0 }).done).rejects.toThrow(
      /^options\.batchSize must be a positive integer/,
    );
    const noFeed = { append: store.append.bind(store), events: store.events.bind(store) } as EventStore<AccountEvent>;
    await expect(consume(noFeed, { name: 'n', handler: () => undefined }).done).rejects.toThrow(/has no feed/);
  });
});

describe('replaying any prefix of a history and resuming', () => {
  it('gives the same read model as one pass, whatever the cut, the batch size and a failure in the middle', async () => {
    // A seeded history over a few streams; the read model sums per stream and keeps the seqs it saw.
    let seed = 20261202;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 12; round++) {
      const store = new MemoryEventStore<AccountEvent>();
      const events = 40 + random(60);
      for (let i = 0; i < events; i++) await store.append(`acc-${random(4)}`, deposit(`e${i}`, random(100)));
      const project = (model: Map<string, { sum: number; seqs: number[] }>) => (batch: readonly FeedEvent<AccountEvent>[]) => {
        // Built aside and swapped in, so a failing batch changes nothing (as a transaction would).
        const next = new Map(model);
        for (const { stream, seq, payload } of batch) {
          const entry = next.get(stream) ?? { sum: 0, seqs: [] };
          next.set(stream, { sum: entry.sum + payload.amount, seqs: [...entry.seqs, seq] });
        }
        for (const [k, v] of next) model.set(k, v);
      };
      const once = new Map<string, { sum: number; seqs: number[] }>();
      await consume(store, { name: 'once', live: false, handler: project(once), batchSize: 1000 }).done;

      const resumed = new Map<string, { sum: number; seqs: number[] }>();
      const failAt = random(events);
      let seen = 0;
      const handler = project(resumed);
      const first = consume(store, {
        name: 'resumed',
        live: false,
        batchSize: 1 + random(9),
        retry: { attempts: 1 },
        handler: (batch) => {
          seen += batch.length;
          if (seen > failAt) throw new Error('crash');
          handler(batch);
        },
      });
      await first.done.catch(() => undefined);
      await consume(store, { name: 'resumed', live: false, batchSize: 1 + random(9), handler }).done;
      expect(resumed, `round ${round}: cut after ${failAt} of ${events}`).toEqual(once);
    }
  });
});
