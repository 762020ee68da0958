import { MemoryEventStore } from '@hume/memory';
import { aggregate, consume, handle } from '@hume/projections';

const account = {
  name: 'account',
  version: 1,
  initialState: { open: false, balance: 0 },
  evolve: (state, { payload }) => {
    switch (payload.type) {
      case 'opened':
        return { open: true, balance: 0 };
      case 'deposited':
        return { ...state, balance: state.balance + payload.amount };
      case 'withdrawn':
        return { ...state, balance: state.balance - payload.amount };
    }
  },
};
const store = new MemoryEventStore();
const snapshots = { everyEvents: 100 }; // a snapshot once 100 events were replayed past the last one
// Commands: decide from the state, refuse by deciding nothing.
const open = (id, owner) =>
  handle(store, `account-${id}`, account, (state) => (state.open ? [] : [{ type: 'opened', owner }]), { snapshots });
const deposit = (id, amount) =>
  handle(store, `account-${id}`, account, (state) => (state.open ? [{ type: 'deposited', amount }] : []), { snapshots });
const withdraw = (id, amount) =>
  handle(store, `account-${id}`, account, (state) => (state.balance >= amount ? [{ type: 'withdrawn', amount }] : []), { snapshots });
await open('1', 'ada');
await open('2', 'brian');
for (let i = 0; i < 250; i++) await deposit('1', 2);
await withdraw('1', 100);
await withdraw('2', 1); // refused: nothing to withdraw
// The balance, loaded from the snapshot taken along the way plus the events after it.
const loaded = await aggregate(store, 'account-1', account, { snapshots });
console.log(loaded.state, `seq ${loaded.seq}, read after seq ${loaded.from}`);
// A read model of every account, fed by a consumer of the feed; its checkpoint lives in the store.
const balances = new Map();
const stop = new AbortController();
const consumer = consume(store, {
  name: 'balances',
  prefix: 'account-',
  signal: stop.signal,
  handler: (events) => {
    for (const { stream, payload } of events) {
      const before = balances.get(stream) ?? 0;
      if (payload.type === 'deposited') balances.set(stream, before + payload.amount);
      if (payload.type === 'withdrawn') balances.set(stream, before - payload.amount);
      if (payload.type === 'opened') balances.set(stream, 0);
    }
  },
  onCaughtUp: () => {
    console.log(Object.fromEntries(balances), consumer.status().state);
    stop.abort();
  },
});
console.log(await consumer.done); // { reason: 'aborted', position: '…', applied: 254 }
await store.close();
