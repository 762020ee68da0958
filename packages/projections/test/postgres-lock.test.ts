import { postgresAdvisoryLock } from '@hume/projections';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';

const pools: pg.Pool[] = [];
afterAll(async () => {
  for (const pool of pools) await pool.end();
});

function pool(applicationName: string): pg.Pool {
  const created = new pg.Pool({ connectionString: inject('databaseUrl'), application_name: applicationName });
  created.on('error', () => undefined);
  pools.push(created);
  return created;
}

describe('postgresAdvisoryLock', () => {
  it('lets one holder of a name at a time, across pools; the other waits and gets it on release', async () => {
    const a = postgresAdvisoryLock(pool('lock-a'), { pollMs: 20 });
    const b = postgresAdvisoryLock(pool('lock-b'), { pollMs: 20 });
    const held = await a.acquire('balances', new AbortController().signal);
    expect(held).toBeDefined();
    let bHeld = false;
    const waiting = b.acquire('balances', new AbortController().signal).then((lease) => {
      bHeld = true;
      return lease;
    });
    // Another name is free meanwhile.
    const other = await b.acquire('other', new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bHeld).toBe(false);
    await held?.release();
    const taken = await waiting;
    expect(taken?.lost.aborted).toBe(false);
    await taken?.release();
    await other?.release();
  });

  it('stops waiting when the signal aborts, and loses the name when its session is killed', async () => {
    const a = postgresAdvisoryLock(pool('lock-killed'), { pollMs: 20 });
    const b = postgresAdvisoryLock(pool('lock-waiter'), { pollMs: 20 });
    const held = await a.acquire('killed', new AbortController().signal);
    const controller = new AbortController();
    const gaveUp = b.acquire('killed', controller.signal);
    setTimeout(() => controller.abort(), 100);
    expect(await gaveUp).toBeUndefined();
    const admin = new pg.Client({ connectionString: inject('databaseUrl') });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lock-killed'`);
    await admin.end();
    const lost = held?.lost as AbortSignal;
    if (!lost.aborted) await new Promise<void>((resolve) => lost.addEventListener('abort', () => resolve(), { once: true }));
    const taken = await b.acquire('killed', new AbortController().signal);
    expect(taken).toBeDefined();
    await held?.release();
    await taken?.release();
  });
});
