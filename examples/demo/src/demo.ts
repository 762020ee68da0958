// Two tellers withdraw from one account at the same moment. Each reads the
// account, decides, and appends with `expect` = the seq it read, so the
// store refuses whichever decision was made on stale state. The loser reads
// again and decides again. Then the account is replayed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventStore } from '@hume/core';
import { MemoryEventStore } from '@hume/memory';
import { SqliteEventStore } from '@hume/sqlite';
import { type AccountEvent, balanceAfter } from './account-events.js';

const usage = `Usage: node dist/demo.js [--memory | --file <path>] [--help]

Two bank tellers race on one account with expect; the loser re-reads and
decides again; then the account is replayed.
--memory       keep the events in memory (@hume/memory)
--file <path>  keep them in this SQLite file, which stays (default: a file in
               a temporary folder, removed at the end)`;

function parse(): { memory: boolean; file?: string | undefined; help: boolean } {
  try {
    return parseArgs({
      options: {
        memory: { type: 'boolean', default: false },
        file: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message} (--help prints the usage)`);
    process.exit(2);
  }
}

const values = parse();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
// A folder of our own only when the demo picks the file, so that it can remove it afterwards.
const folder = values.memory || values.file !== undefined ? undefined : mkdtempSync(join(tmpdir(), 'hume-demo-'));
const file = values.file ?? join(folder ?? '', 'bank.db');
const store: EventStore<AccountEvent> = values.memory ? new MemoryEventStore<AccountEvent>() : new SqliteEventStore<AccountEvent>(file);
const account = `account-${Date.now().toString(36)}`;

console.log(values.memory ? 'Store: in memory (@hume/memory)' : `Store: SQLite file ${file} (@hume/sqlite)`);
console.log(`Account: ${account}\n`);

/** Reads the whole account: its balance and the seq the next decision rests on. */
async function readAccount(): Promise<{ balance: number; seq: number }> {
  let balance = 0;
  let seq = 0;
  for await (const event of store.events(account)) {
    balance = balanceAfter(balance, event.payload);
    seq = event.seq;
  }
  return { balance, seq };
}

/** One teller: read, decide, append with expect; on a conflict, read and decide again. */
async function teller(name: string, amount: number, bothHaveRead: Promise<void>, hasRead: () => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { balance, seq } = await readAccount();
    console.log(`${name.padEnd(5)} reads the account at seq ${seq}: balance ${balance}`);
    const decision: AccountEvent =
      balance >= amount
        ? { type: 'withdrawn', amount, by: name }
        : { type: 'withdrawal-declined', amount, by: name, reason: `balance ${balance} is below ${amount}` };
    if (attempt === 1) {
      hasRead();
      await bothHaveRead; // both decide on the same state: a real race
    }
    const result = await store.append(account, decision, seq);
    if (result.ok) {
      console.log(`${name.padEnd(5)} appends ${decision.type} ${amount} with expect ${seq}: stored at seq ${result.seq}`);
      return;
    }
    if (result.error.code !== 'UNEXPECTED_SEQ') throw result.error;
    console.log(
      `${name.padEnd(5)} appends ${decision.type} ${amount} with expect ${seq}: refused, the account moved on to seq ${result.error.actual}`,
    );
  }
}

try {
  const opened = await store.append(account, { type: 'opened', owner: 'Ada', deposit: 100 }, 0);
  if (!opened.ok) throw opened.error;
  console.log(`The account is opened with 100 at seq ${opened.seq}. Alice withdraws 70 and Bob 50, at the same moment.\n`);

  let reads = 0;
  let release: () => void = () => {};
  const bothHaveRead = new Promise<void>((resolve) => {
    release = resolve;
  });
  const hasRead = () => {
    if (++reads === 2) release();
  };
  await Promise.all([teller('Alice', 70, bothHaveRead, hasRead), teller('Bob', 50, bothHaveRead, hasRead)]);

  console.log('\nReplay:');
  let balance = 0;
  for await (const { seq, payload } of store.events(account)) {
    balance = balanceAfter(balance, payload);
    console.log(`  ${String(seq).padStart(2)}  ${payload.type.padEnd(20)} ${JSON.stringify(payload)}  → balance ${balance}`);
  }
  console.log(`\nOne decision per seq, none made on stale state: the balance never went below 0 (it is ${balance}).`);
} finally {
  await store.close?.();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
}
