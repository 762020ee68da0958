/** The events of a bank account. Plain interfaces: `EventStore<AccountEvent>` accepts them. */
export interface Opened {
  type: 'opened';
  owner: string;
  deposit: number;
}
export interface Withdrawn {
  type: 'withdrawn';
  amount: number;
  by: string;
}
export interface WithdrawalDeclined {
  type: 'withdrawal-declined';
  amount: number;
  by: string;
  reason: string;
}
export type AccountEvent = Opened | Withdrawn | WithdrawalDeclined;

/** Folds the events into the balance: the state a teller decides on. */
export function balanceAfter(balance: number, event: AccountEvent): number {
  return event.type === 'opened' ? event.deposit : event.type === 'withdrawn' ? balance - event.amount : balance;
}
