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
    // Six lanes on two streams keep several statements in flight (lanes on one stream share them).
    const streams = ['killed-mid-append-0', 'killed-mid-append-1'];
    const outcomes: Array<{ stream: string; seq: number } | { error: unknown }> = [];
    const lanes = range(0, 5).map(async (lane) => {
      const stream = streams[lane % 2] as string;
      for (let i = 0; i < 50; i++) {
        try {
          const result = await store.append(stream, { lane, i });
          outcomes.push(result.ok ? { stream, seq: result.seq } : { error: result.error });
        } catch (error) {
          outcomes.push({ error });
        }
      }
    });
    while (outcomes.length < 60) await new Promise((resolve) => setTimeout(resolve, 1));
    const killed = await terminateSessions(applicationName);
    await Promise.all(lanes);
    expect(killed).toBeGreaterThan(0);
    expect(outcomes).toHaveLength(300);
    const failed = outcomes.flatMap((outcome) => ('error' in outcome ? [outcome.error] : []));
    for (const error of failed) {
      expect(isHumeError(error, 'BACKEND'), String(error)).toBe(true);
      expect((error as Error).cause).toBeInstanceOf(Error);
    }
    await untilPoolDropped();
    for (const stream of streams) {
      const okSeqs = outcomes.flatMap((outcome) => ('seq' in outcome && outcome.stream === stream ? [outcome.seq] : []));
      const stored = await storedSeqs(schema, stream);
      // An append whose connection died may or may not have committed; whatever was stored is gap-free.
      expect(stored).toEqual(range(1, stored.length));
      expect(stored.length).toBeGreaterThanOrEqual(okSeqs.length);
      for (const seq of okSeqs) expect(stored).toContain(seq);
      expect(await store.append(stream, { after: true })).toEqual({ ok: true, seq: stored.length + 1 });
    }
  });

  it('rejects an append whose session is killed while it waits, and stores nothing for it', async () => {
    await store.append('killed-while-waiting', 'first');
    // Another session holds the counter row, so the append is certainly in flight when it is killed.
    const holder = newPool({ max: 1 });
    const client = await holder.connect();
    client.on('error', () => undefined);
    try {
      await client.query('BEGIN');
      await client.query(`SELECT seq FROM "${schema}".hume_streams WHERE stream = 'killed-while-waiting' FOR UPDATE`);
      const waiting = store.append('killed-while-waiting', 'second').catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await terminateSessions(applicationName);
      const rejection = await waiting;
      expect(rejection).toMatchObject({ code: 'BACKEND' });
      expect((rejection as Error).cause).toBeInstanceOf(Error);
      await client.query('ROLLBACK');
    } finally {
      client.release();
      await holder.end();
    }
    expect(await storedSeqs(schema, 'killed-while-waiting')).toEqual([1]);
    await untilPoolDropped();
    expect(await store.append('killed-while-waiting', 'third')).toEqual({ ok: true, seq: 2 });
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
