// Many callers deciding on one stream at once: every command must land exactly once,
// through one store and through several instances (connections) on the same SQLite file.
import type { EventStore } from '@hume/core';
import { MemoryEventStore } from '@hume/memory';
import { aggregate, handle } from '@hume/projections';
import { SqliteEventStore } from '@hume/sqlite';
import { describe, expect, it } from 'vitest';
import { type AccountEvent, balance, deposit } from './account.js';
import { postgresKind, tempDir } from './stores.js';

const dir = tempDir();

async function storm(stores: readonly EventStore<AccountEvent>[], callers: number): Promise<void> {
  const stream = 'account-storm';
  const results = await Promise.all(
    Array.from({ length: callers }, (_, i) =>
      // Each caller decides from the state it loaded: a deposit of its own, numbered after what it saw.
      handle(
        stores[i % stores.length] as EventStore<AccountEvent>,
        stream,
        balance,
        (state) => [deposit(`cmd-${i}`, state.ids.length + 1)],
        {
          attempts: callers,
        },
      ),
    ),
  );
  for (const result of results) expect(result.ok, JSON.stringify(result)).toBe(true);
  // Each success's seq is its own, and the stream holds each command once.
  expect(new Set(results.map((result) => (result.ok ? result.seq : -1))).size).toBe(callers);
  const { state, seq } = await aggregate(stores[0] as EventStore<AccountEvent>, stream, balance);
  expect(seq).toBe(callers);
  expect([...state.ids].sort()).toEqual(Array.from({ length: callers }, (_, i) => `cmd-${i}`).sort());
  // Every decision saw the events before it: amounts are 1, 2, … in seq order, so the balance is n(n+1)/2.
  expect(state.balance).toBe((callers * (callers + 1)) / 2);
  // Some callers had to retry: this was a storm, not a queue.
  expect(results.some((result) => result.attempts > 1)).toBe(true);
}

describe('a conflict storm through handle', () => {
  it('16 concurrent callers through one memory store each apply their command once', async () => {
    await storm([new MemoryEventStore<AccountEvent>()], 16);
  });

  it('16 concurrent callers through one SQLite store each apply their command once', async () => {
    const store = new SqliteEventStore<AccountEvent>(`${dir}/one.db`);
    try {
      await storm([store], 16);
    } finally {
      await store.close();
    }
  });

  it('16 concurrent callers through 4 SQLite stores on one file each apply their command once', async () => {
    const stores = Array.from({ length: 4 }, () => new SqliteEventStore<AccountEvent>(`${dir}/four.db`));
    try {
      await storm(stores, 16);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('16 concurrent callers through 4 PostgreSQL stores on one schema each apply their command once', async () => {
    const { store, again } = await postgresKind().open<AccountEvent>();
    const stores = [store, await again(), await again(), await again()];
    try {
      await storm(stores, 16);
    } finally {
      for (const each of stores) await each.close?.();
    }
  });
});
