import { PostgresEventStore } from '@hume/postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, migratedStore, range, schemaName, storedSeqs } from './database.js';
import { codeOf, settleWithin } from './settle.js';

const schema = schemaName('close');

beforeAll(async () => {
  const store = await migratedStore(schema);
  for (const n of range(1, 300)) await store.append('long', { n });
  await store.close();
});

describe('close() with calls in flight', () => {
  it('settles every append (stored, CLOSED or BACKEND), then resolves, and stores what it acknowledged', async () => {
    const store = new PostgresEventStore(databaseUrl, { schema });
    const streams = range(1, 50).map((n) => `under-load-${n}`);
    const appends = streams.map((stream, n) => store.append(stream, { n }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = store.close();
    const outcomes = await settleWithin<unknown>([...appends, closing], 10_000);
    expect(outcomes.filter((outcome) => outcome === 'pending')).toHaveLength(0);
    for (const [n, outcome] of outcomes.slice(0, 50).entries()) {
      if (outcome === 'pending') continue;
      if (outcome.status === 'rejected') expect(['CLOSED', 'BACKEND'], String(outcome.reason)).toContain(codeOf(outcome.reason));
      else {
        expect(outcome.value).toEqual({ ok: true, seq: 1 });
        expect(await storedSeqs(schema, streams[n] as string)).toEqual([1]);
      }
    }
    // A CLOSED append sent nothing: its stream has no event.
    for (const [n, outcome] of outcomes.slice(0, 50).entries()) {
      if (outcome !== 'pending' && outcome.status === 'rejected' && codeOf(outcome.reason) === 'CLOSED') {
        expect(await storedSeqs(schema, streams[n] as string)).toEqual([]);
      }
    }
  });

  it('settles every read (complete, or CLOSED or BACKEND), then resolves', async () => {
    const store = new PostgresEventStore(databaseUrl, { schema, readPageSize: 20 });
    const readAll = async (): Promise<number> => {
      let count = 0;
      for await (const _ of store.events('long')) count++;
      return count;
    };
    const reads = range(1, 30).map(() => readAll());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const outcomes = await settleWithin<unknown>([...reads, store.close()], 10_000);
    expect(outcomes.filter((outcome) => outcome === 'pending')).toHaveLength(0);
    for (const outcome of outcomes.slice(0, 30)) {
      if (outcome === 'pending') continue;
      if (outcome.status === 'rejected') expect(['CLOSED', 'BACKEND'], String(outcome.reason)).toContain(codeOf(outcome.reason));
      else expect(outcome.value).toBe(300);
    }
  });

  it('settles appends batched on one stream and appends with expect on many, then resolves', async () => {
    const store = new PostgresEventStore(databaseUrl, { schema });
    const calls = [
      ...range(1, 40).map((n) => store.append('batched-at-close', { n })),
      ...range(1, 40).map((n) => store.append(`expect-at-close-${n}`, { n }, 0)),
    ];
    await new Promise((resolve) => setTimeout(resolve, 5));
    const outcomes = await settleWithin<unknown>([...calls, store.close()], 10_000);
    expect(outcomes.filter((outcome) => outcome === 'pending')).toHaveLength(0);
    const acknowledged = outcomes.slice(0, 40).filter((outcome) => outcome !== 'pending' && outcome.status === 'fulfilled').length;
    expect(await storedSeqs(schema, 'batched-at-close')).toEqual(range(1, acknowledged));
  });
});
