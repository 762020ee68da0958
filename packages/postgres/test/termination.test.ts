import { isHumeError } from '@hume/core';
import { PostgresEventStore } from '@hume/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, newPool, range, schemaName, storedSeqs, terminateSessions } from './database.js';

const schema = schemaName('termination');
const applicationName = `hume-termination-${process.pid}`;
const pool = newPool({ max: 6, application_name: applicationName });
const store = new PostgresEventStore(pool, { schema, readPageSize: 50 });

beforeAll(async () => {
  await store.migrate();
});
afterAll(async () => {
  await store.close();
  await pool.end();
});

/** Waits until the pool has noticed that its idle connections were killed. */
async function untilPoolDropped(): Promise<void> {
  for (let i = 0; i < 100 && pool.idleCount > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('a connection terminated by the server', () => {
  it('fails the appends in flight with BACKEND and the pg error as cause, leaves no gap, and the next append works', async () => {
    const outcomes: Array<{ seq: number } | { error: unknown }> = [];
    const appends = range(1, 300).map(async (i) => {
      try {
        const result = await store.append('killed-mid-append', { i });
        outcomes.push(result.ok ? { seq: result.seq } : { error: result.error });
      } catch (error) {
        outcomes.push({ error });
      }
    });
    while (outcomes.length < 60) await new Promise((resolve) => setTimeout(resolve, 1));
    const killed = await terminateSessions(applicationName);
    await Promise.all(appends);
    expect(killed).toBeGreaterThan(0);
    const failed = outcomes.filter((outcome) => 'error' in outcome).map((outcome) => outcome.error);
    for (const error of failed) {
      expect(isHumeError(error, 'BACKEND'), String(error)).toBe(true);
      expect((error as Error).cause).toBeInstanceOf(Error);
    }
    const okSeqs = outcomes.flatMap((outcome) => ('seq' in outcome ? [outcome.seq] : []));
    const stored = await storedSeqs(schema, 'killed-mid-append');
    // An append whose connection died may or may not have committed; whatever was stored is gap-free.
    expect(stored).toEqual(range(1, stored.length));
    expect(stored.length).toBeGreaterThanOrEqual(okSeqs.length);
    expect(stored.length).toBeLessThanOrEqual(300);
    for (const seq of okSeqs) expect(stored).toContain(seq);
    await untilPoolDropped();
    expect(await store.append('killed-mid-append', { after: true })).toEqual({ ok: true, seq: stored.length + 1 });
  });

  it('does not break a read: the page whose connection died is fetched again on a fresh one', async () => {
    await admin(
      `INSERT INTO "${schema}".hume_streams VALUES ('killed-mid-read', 2000);
       INSERT INTO "${schema}".hume_events (stream, seq, payload) SELECT 'killed-mid-read', n, json_build_object('n', n) FROM generate_series(1, 2000) n`,
    );
    const seen: number[] = [];
    let killedAt = 0;
    for await (const event of store.events('killed-mid-read')) {
      seen.push(event.seq);
      expect(event.payload).toEqual({ n: event.seq });
      if (event.seq % 400 === 25) {
        killedAt += await terminateSessions(applicationName);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    expect(killedAt).toBeGreaterThan(0);
    expect(seen).toEqual(range(1, 2000));
  });

  it('answers an append and a read after its only connection was killed', async () => {
    const lonely = newPool({ max: 1, application_name: `${applicationName}-lonely` });
    const reader = new PostgresEventStore(lonely, { schema, readPageSize: 10 });
    try {
      await reader.append('lonely', { n: 1 });
      await terminateSessions(`${applicationName}-lonely`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await reader.append('lonely', { n: 2 })).toEqual({ ok: true, seq: 2 });
      const read: number[] = [];
      for await (const event of reader.events('lonely')) read.push(event.seq);
      expect(read).toEqual([1, 2]);
    } finally {
      await reader.close();
      await lonely.end();
    }
  });

  it('answers the next call after its idle connections were killed', async () => {
    await store.append('idle-killed', { n: 1 });
    expect(pool.idleCount).toBeGreaterThan(0);
    await terminateSessions(applicationName);
    await untilPoolDropped();
    expect(await store.append('idle-killed', { n: 2 })).toEqual({ ok: true, seq: 2 });
  });
});
