import type { EventStore } from '@hume/core';
import { MemoryEventStore } from '@hume/memory';
import { aggregate, handle, replay } from '@hume/projections';
import { afterEach, describe, expect, it } from 'vitest';
import { type AccountEvent, balance, deposit, withdraw } from './account.js';
import { memoryKind, postgresKind, sqliteKind, tempDir } from './stores.js';

const opened: EventStore<AccountEvent>[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close?.();
});

describe('replay', () => {
  it('folds events without a store', () => {
    const state = replay(balance, [
      { seq: 1, payload: deposit('a', 10) },
      { seq: 2, payload: withdraw('b', 3) },
    ]);
    expect(state).toEqual({ balance: 7, ids: ['a', 'b'] });
  });
});

describe.each([memoryKind, sqliteKind(tempDir()), postgresKind()])('on a $name store', (kind) => {
  const open = async (): Promise<{ store: EventStore<AccountEvent>; again(): Promise<EventStore<AccountEvent>> }> => {
    const { store, again } = await kind.open<AccountEvent>();
    opened.push(store);
    return {
      store,
      again: async () => {
        const other = await again();
        if (other !== store) opened.push(other);
        return other;
      },
    };
  };

  it('aggregate gives the initial state and seq 0 for an unknown stream, the folded state and last seq otherwise', async () => {
    const { store } = await open();
    expect(await aggregate(store, 'account-1', balance)).toEqual({ state: balance.initialState, seq: 0, from: 0 });
    await store.append('account-1', deposit('a', 10));
    await store.append('account-1', withdraw('b', 4));
    await store.append('account-2', deposit('c', 99));
    expect(await aggregate(store, 'account-1', balance)).toEqual({ state: { balance: 6, ids: ['a', 'b'] }, seq: 2, from: 0 });
  });

  it('aggregate rejects a bad stream name with INVALID_ARGUMENT naming stream', async () => {
    const { store } = await open();
    await expect(aggregate(store, '', balance)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^stream /),
    });
  });

  it('handle appends the decided events at once and returns the new state and seq', async () => {
    const { store } = await open();
    const first = await handle(store, 'account-1', balance, () => [deposit('a', 10), deposit('b', 5)]);
    expect(first).toEqual({
      ok: true,
      state: { balance: 15, ids: ['a', 'b'] },
      seq: 2,
      events: [
        { seq: 1, payload: deposit('a', 10) },
        { seq: 2, payload: deposit('b', 5) },
      ],
      attempts: 1,
    });
    const second = await handle(store, 'account-1', balance, (state, context) => {
      expect(context).toEqual({ stream: 'account-1', seq: 2, attempt: 1 });
      return state.balance >= 12 ? [withdraw('c', 12)] : [];
    });
    expect(second).toMatchObject({ ok: true, state: { balance: 3 }, seq: 3 });
    expect(await aggregate(store, 'account-1', balance)).toEqual({ state: { balance: 3, ids: ['a', 'b', 'c'] }, seq: 3, from: 0 });
  });

  it('handle takes events written inline in decide, their literal types kept (a type-level check too)', async () => {
    const { store } = await open();
    const result = await handle(store, 'account-1', balance, (state) =>
      state.balance > 0 ? [] : [{ type: 'deposited', id: 'inline', amount: 3 }],
    );
    expect(result).toMatchObject({ ok: true, seq: 1, state: { balance: 3 } });
  });

  it('handle with no events decided appends nothing', async () => {
    const { store } = await open();
    await store.append('account-1', deposit('a', 1));
    const result = await handle(store, 'account-1', balance, () => []);
    expect(result).toEqual({ ok: true, state: { balance: 1, ids: ['a'] }, seq: 1, events: [], attempts: 1 });
    expect(await aggregate(store, 'account-1', balance)).toMatchObject({ seq: 1 });
  });

  it('handle reloads and decides again after a conflict, on the state that includes the other writer', async () => {
    const { store, again } = await open();
    const other = await again();
    const seen: number[] = [];
    const result = await handle(store, 'account-1', balance, async (state, { attempt }) => {
      seen.push(state.balance);
      // Another writer (another instance on the same data) lands between this load and this append.
      if (attempt === 1) expect((await other.append('account-1', deposit('other', 100))).ok).toBe(true);
      return [withdraw(`w${attempt}`, 30)];
    });
    expect(seen).toEqual([0, 100]);
    expect(result).toMatchObject({ ok: true, state: { balance: 70, ids: ['other', 'w2'] }, seq: 2, attempts: 2 });
  });

  it('handle returns the final conflict once its attempts are spent, and stores nothing of the decision', async () => {
    const { store, again } = await open();
    const other = await again();
    let calls = 0;
    const result = await handle(
      store,
      'account-1',
      balance,
      async () => {
        calls++;
        await other.append('account-1', deposit(`other${calls}`, 1));
        return [withdraw(`mine${calls}`, 1)];
      },
      { attempts: 3, maxBackoffMs: 0 },
    );
    expect(calls).toBe(3);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.attempts).toBe(3);
    expect(result.error).toMatchObject({ code: 'UNEXPECTED_SEQ', expected: 2, actual: 3 });
    expect(result.last).toEqual({ state: { balance: 2, ids: ['other1', 'other2'] }, seq: 2 });
    expect((await aggregate(store, 'account-1', balance)).state.ids).toEqual(['other1', 'other2', 'other3']);
  });

  it('handle returns a refused event without retrying, and stores none of the batch', async () => {
    const { store } = await open();
    let calls = 0;
    const result = await handle(store, 'account-1', balance, () => {
      calls++;
      return [deposit('a', 1), deposit('b', Number.NaN)];
    });
    expect(calls).toBe(1);
    expect(result).toMatchObject({
      ok: false,
      attempts: 1,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('payloads[1]') },
    });
    expect(await aggregate(store, 'account-1', balance)).toEqual({ state: balance.initialState, seq: 0, from: 0 });
  });

  it('handle refuses bad arguments with INVALID_ARGUMENT naming them, before touching the store', async () => {
    const { store } = await open();
    const cases: [Parameters<typeof handle>, RegExp][] = [
      [[store, '', balance, () => []], /^stream must be a non-empty string/],
      [[store, 's', balance, 'no' as never], /^decide must be a function/],
      [[store, 's', balance, () => [], { attempts: 0 }], /^options\.attempts must be a positive integer \(got 0\)/],
      [[store, 's', balance, () => [], { maxBackoffMs: -1 }], /^options\.maxBackoffMs must be a non-negative number/],
    ];
    for (const [args, message] of cases) {
      const result = await handle(...args);
      expect(result).toMatchObject({
        ok: false,
        attempts: 0,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) },
      });
    }
    const notArray = await handle(store, 's', balance, () => 'x' as never);
    expect(notArray).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'decide must return an array of events (got "x")' },
    });
  });
});

describe('handle on a store without appendMany', () => {
  it('appends one event with append, and refuses several rather than store them apart', async () => {
    const memory = new MemoryEventStore<AccountEvent>();
    const store: EventStore<AccountEvent> = { append: (...args) => memory.append(...args), events: (...args) => memory.events(...args) };
    expect(await handle(store, 'a', balance, () => [deposit('a', 1)])).toMatchObject({ ok: true, seq: 1 });
    const two = await handle(store, 'a', balance, () => [deposit('b', 1), deposit('c', 1)]);
    expect(two).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('no appendMany') } });
    expect(await aggregate(store, 'a', balance)).toMatchObject({ seq: 1 });
  });
});
