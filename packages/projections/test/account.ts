import type { Projection } from '@hume/projections';

/** The test's account: money in and out, each command with an id of its own. */
export type AccountEvent =
  | { readonly type: 'deposited'; readonly id: string; readonly amount: number }
  | { readonly type: 'withdrawn'; readonly id: string; readonly amount: number };

export interface Balance {
  readonly balance: number;
  readonly ids: readonly string[];
}

export const balance: Projection<Balance, AccountEvent> = {
  name: 'balance',
  version: 1,
  initialState: { balance: 0, ids: [] },
  evolve: (state, { payload }) => ({
    balance: state.balance + (payload.type === 'deposited' ? payload.amount : -payload.amount),
    ids: [...state.ids, payload.id],
  }),
};

export const deposit = (id: string, amount: number): AccountEvent => ({ type: 'deposited', id, amount });
export const withdraw = (id: string, amount: number): AccountEvent => ({ type: 'withdrawn', id, amount });
