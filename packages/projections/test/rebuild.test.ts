import type { EventStore, FeedEvent } from '@hume/core';
import { consumeVersioned } from '@hume/projections';
import { afterEach, describe, expect, it } from 'vitest';
import { type AccountEvent, deposit } from './account.js';
import { memoryKind, postgresKind, sqliteKind, tempDir } from './stores.js';

const opened: EventStore<AccountEvent>[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close?.();
});

const until = async (condition: () => boolean): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe.each([memoryKind, sqliteKind(tempDir()), postgresKind()])('a versioned read model on a $name store', (kind) => {
  it('rebuilds a new version alongside the old one from the start, switches once caught up, and the old one stops', async () => {
    const { store } = await kind.open<AccountEvent>();
    opened.push(store);
    for (let i = 1; i <= 30; i++) await store.append(`acc-${i % 3}`, deposit(`d${i}`, i));
    // v1 sums amounts; v2 counts deposits: two models side by side, as two tables would be.
    const v1 = new Map<string, number>();
    const v2 = new Map<string, number>();
    const apply =
      (model: Map<string, number>, value: (event: FeedEvent<AccountEvent>) => number) => (events: readonly FeedEvent<AccountEvent>[]) => {
        for (const event of events) model.set(event.stream, (model.get(event.stream) ?? 0) + value(event));
      };
    const controller = new AbortController();
    const switches: number[] = [];
    const first = consumeVersioned(store, {
      name: 'totals',
      version: 1,
      signal: controller.signal,
      handler: apply(v1, (e) => e.payload.amount),
      onSwitch: (version) => switches.push(version),
    });
    await until(() => switches.includes(1));
    expect([...v1.values()].reduce((a, b) => a + b)).toBe(465);
    await store.append('acc-0', deposit('d31', 31));
    const second = consumeVersioned(store, {
      name: 'totals',
      version: 2,
      signal: controller.signal,
      handler: apply(v2, () => 1),
      onSwitch: (version) => switches.push(version),
    });
    await until(() => switches.includes(2));
    expect(v2).toEqual(
      new Map([
        ['acc-1', 10],
        ['acc-2', 10],
        ['acc-0', 11],
      ]),
    );
    // The old version notices at its next batch: one more event reaches it, or its next catch-up.
    await store.append('acc-1', deposit('d32', 32));
    expect(await first.done).toMatchObject({ reason: 'superseded' });
    await until(() => v2.get('acc-1') === 11);
    // Started again after the switch, the old version stops at once, applying nothing.
    const late = consumeVersioned(store, { name: 'totals', version: 1, handler: apply(v1, () => 1000) });
    expect(await late.done).toEqual({ reason: 'superseded', position: undefined, applied: 0 });
    expect(switches).toEqual([1, 2]);
    controller.abort();
    expect(await second.done).toMatchObject({ reason: 'aborted' });
  });
});
