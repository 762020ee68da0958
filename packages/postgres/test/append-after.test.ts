import type { Json } from '@hume/core';
import { PostgresEventStore } from '@hume/postgres';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/postgres-options.js';
import { statementsFor } from '../src/postgres-statements.js';
import { admin, newPool, range, storeForFile } from './database.js';

const { schema, store } = storeForFile('append_after');
const sql = statementsFor(resolveOptions({ schema }));

async function stored(stream: string): Promise<{ seq: number; payload: Json }[]> {
  const events: { seq: number; payload: Json }[] = [];
  for await (const event of store.events(stream)) events.push({ seq: event.seq, payload: event.payload });
  return events;
}

/** Appends `{ n: 2 }` to `stream` (at seq 2) in a transaction that holds the counter row while `during` runs, until it calls `commit`. */
async function holdingTheRow(stream: string, during: (commit: () => Promise<unknown>) => Promise<void>): Promise<void> {
  const holder = newPool({ max: 1 });
  const client = await holder.connect();
  try {
    await client.query('BEGIN');
    await client.query(sql.appendOne.text, [stream, '{"n":2}']);
    await during(() => client.query('COMMIT'));
  } finally {
    client.release();
    await holder.end();
  }
}

/** Resolves once an append's statement waits for a row lock. */
async function waitForLock(): Promise<void> {
  for (let i = 0; ; i++) {
    const locked = await admin("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'WITH c AS%'");
    if (locked.length > 0) return;
    if (i > 500) throw new Error('the append never waited for the counter row');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a lone append or batch with an expect of 1 or more (the statement that stores only at that seq)', () => {
  it('stores at the expected seq, reports the actual last seq when it is not there, and plans once per connection', async () => {
    const lone = newPool({ max: 1 });
    const own = new PostgresEventStore(lone, { schema });
    const stream = 'after-1';
    try {
      expect(await own.append(stream, { n: 1 }, 0)).toEqual({ ok: true, seq: 1 });
      expect(await own.append(stream, { n: 2 }, 1)).toEqual({ ok: true, seq: 2 });
      expect(await own.appendMany(stream, [{ n: 3 }, { n: 4 }, { n: 5 }], 2)).toEqual({ ok: true, seq: 5, first: 3 });
      for (const wrong of [1, 4, 6, 99]) {
        const result = await own.append(stream, { wrong }, wrong);
        expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNEXPECTED_SEQ', expected: wrong, actual: 5 }) });
        const batch = await own.appendMany(stream, [{ wrong }, { wrong }], wrong);
        expect(batch).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNEXPECTED_SEQ', expected: wrong, actual: 5 }) });
      }
      for (const n of range(6, 15)) expect(await own.append(stream, { n }, n - 1)).toEqual({ ok: true, seq: n });
      const [plan] = (
        await lone.query<{ generic: string; custom: string }>(
          'SELECT generic_plans::text AS generic, custom_plans::text AS custom FROM pg_prepared_statements WHERE name = $1',
          [sql.appendAfter.name],
        )
      ).rows;
      // Five custom plans before the server compares them with the generic one (plancache.c), then the generic one.
      expect(Number(plan?.custom)).toBeLessThanOrEqual(5);
      expect(Number(plan?.generic)).toBeGreaterThan(0);
    } finally {
      await own.close();
      await lone.end();
    }
    expect(await stored(stream)).toEqual(range(1, 15).map((n) => ({ seq: n, payload: { n } })));
  });

  it('reports the seq a stream moved to while the append waited for it, not the expect it saw before', async () => {
    const stream = 'after-waited';
    await store.append(stream, { n: 1 });
    await holdingTheRow(stream, async (commit) => {
      const waiting = store.append(stream, { late: true }, 1);
      await waitForLock();
      await commit();
      expect(await waiting).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNEXPECTED_SEQ', expected: 1, actual: 2 }) });
    });
    expect(await stored(stream)).toEqual([
      { seq: 1, payload: { n: 1 } },
      { seq: 2, payload: { n: 2 } },
    ]);
  });

  it('finishes an append that waited for the row when close() begins meanwhile: its second statement still goes', async () => {
    const stream = 'after-closing';
    await store.append(stream, { n: 1 });
    const pool = newPool({ max: 2 });
    const closing = new PostgresEventStore(pool, { schema });
    try {
      await holdingTheRow(stream, async (commit) => {
        const waiting = closing.append(stream, { late: true }, 1);
        await waitForLock();
        const closed = closing.close();
        await commit();
        expect(await waiting).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNEXPECTED_SEQ', expected: 1, actual: 2 }) });
        await closed;
      });
    } finally {
      await closing.close();
      await pool.end();
    }
  });

  it('lets one of several stores racing with the same expect store, and tells the others where the stream went', async () => {
    const stream = 'after-race';
    await store.append(stream, { n: 0 });
    const pools = range(1, 6).map(() => newPool({ max: 1 }));
    const stores = pools.map((pool) => new PostgresEventStore(pool, { schema }));
    try {
      for (const round of range(1, 20)) {
        const results = await Promise.all(
          stores.map((racer, index) =>
            racer.appendMany(
              stream,
              [
                { round, index },
                { round, index },
              ],
              2 * round - 1,
            ),
          ),
        );
        const won = results.filter((result) => result.ok);
        expect(won).toEqual([{ ok: true, seq: 2 * round + 1, first: 2 * round }]);
        for (const result of results.filter((r) => !r.ok)) {
          expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNEXPECTED_SEQ', actual: 2 * round + 1 }) });
        }
      }
    } finally {
      for (const racer of stores) await racer.close();
      await Promise.all(pools.map((pool) => pool.end()));
    }
    const events = await stored(stream);
    expect(events.map((event) => event.seq)).toEqual(range(1, 41));
  });
});
