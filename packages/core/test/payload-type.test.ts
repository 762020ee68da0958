// Clause C10: the payload type parameter accepts a user's own event types,
// interfaces included, and refuses types JSON cannot carry. `pnpm typecheck`
// compiles this file: an unused @ts-expect-error is itself an error.
import { append, appendMany, type EventStore, type Json } from '@hume/core';
import { describe, expectTypeOf, it } from 'vitest';

interface Deposited {
  type: 'deposited';
  amount: number;
  note?: string;
  tags: readonly string[];
  meta: { source: 'atm' | 'branch'; at: string };
}
type Withdrawn = { type: 'withdrawn'; amount: number };
type AccountEvent = Deposited | Withdrawn;

interface WithDate {
  at: Date;
}
interface WithMethod {
  amount: number;
  total(): number;
}
interface WithBigint {
  amount: bigint;
}

declare const accounts: EventStore<AccountEvent>;

describe('payload type parameter (C10)', () => {
  it('accepts interfaces, type aliases, unions and the default Json', () => {
    expectTypeOf<EventStore<Deposited>>().toHaveProperty('append');
    expectTypeOf<EventStore<AccountEvent>>().toHaveProperty('events');
    expectTypeOf<EventStore>().toEqualTypeOf<EventStore<Json>>();
    expectTypeOf<EventStore<string>>().toHaveProperty('append');
    expectTypeOf<EventStore<number[]>>().toHaveProperty('append');
  });

  it('types what events yields and what append takes', () => {
    const typed = async () => {
      for await (const event of accounts.events('account-1')) {
        expectTypeOf(event.payload).toEqualTypeOf<AccountEvent>();
        expectTypeOf(event.seq).toEqualTypeOf<number>();
      }
      await append(accounts, 'account-1', { type: 'withdrawn', amount: 5 }, 1);
      // @ts-expect-error — not one of the account events
      await append(accounts, 'account-1', { type: 'closed' });
      await appendMany(accounts, 'account-1', [{ type: 'withdrawn', amount: 5 }], 1);
      await accounts.appendMany?.('account-1', [{ type: 'withdrawn', amount: 5 }]);
      // @ts-expect-error — a batch holds account events too
      await appendMany(accounts, 'account-1', [{ type: 'closed' }]);
    };
    expectTypeOf(typed).returns.resolves.toBeVoid();
  });

  it('refuses types JSON cannot carry', () => {
    // @ts-expect-error — Date has methods
    expectTypeOf<EventStore<WithDate>>();
    // @ts-expect-error — a method is not JSON
    expectTypeOf<EventStore<WithMethod>>();
    // @ts-expect-error — bigint is not JSON
    expectTypeOf<EventStore<WithBigint>>();
    // @ts-expect-error — a Map is not a plain object
    expectTypeOf<EventStore<Map<string, number>>>();
  });
});
