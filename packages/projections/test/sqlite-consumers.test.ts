// Consumers in processes of their own on one SQLite file: killed between the read model's write
// and the commit (exactly-once with sqliteTransactions), and two started under one name (one runs).
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from './stores.js';

const child = fileURLToPath(new URL('./fixtures/consumer-child.mjs', import.meta.url));
const dir = tempDir();

function start(args: string[]): {
  process: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  proc.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: proc, output: () => output, exit };
}

async function history(file: string, events: number): Promise<void> {
  const store = new SqliteEventStore(file);
  for (let i = 0; i < events; i += 50) {
    const batch = Array.from({ length: 50 }, (_, j) => ({ type: 'deposited', id: `d${i + j}`, amount: i + j }));
    await store.appendMany(`acc-${(i / 50) % 5}`, batch);
  }
  await store.close();
}

function readModel(file: string): { rows: number; distinct: number; sum: number } {
  const db = new Database(file, { readonly: true });
  const row = db
    .prepare(
      'SELECT count(*) AS rows, count(DISTINCT stream || \'#\' || seq) AS "distinct", coalesce(sum(amount), 0) AS sum FROM read_model',
    )
    .get() as {
    rows: number;
    distinct: number;
    sum: number;
  };
  db.close();
  return row;
}

describe('a SQLite consumer killed with SIGKILL between its write and its commit', () => {
  const events = 500;
  const total = (events * (events - 1)) / 2;

  it('with sqliteTransactions, applies every event exactly once after a restart', { timeout: 60_000 }, async () => {
    const file = join(dir, 'exactly-once.db');
    await history(file, events);
    const killed = await start([file, 'exactly-once', '230']).exit;
    expect(killed.signal).toBe('SIGKILL');
    // The batch that was being written died with the process: what is left is whole batches.
    expect(readModel(file).rows % 50).toBe(0);
    const finished = start([file, 'exactly-once']);
    expect((await finished.exit).code).toBe(0);
    expect(readModel(file)).toEqual({ rows: events, distinct: events, sum: total });
  });

  it('with the default checkpoints (at-least-once), the events of the torn batch come twice: what the transaction prevents', {
    timeout: 60_000,
  }, async () => {
    const file = join(dir, 'at-least-once.db');
    await history(file, events);
    expect((await start([file, 'at-least-once', '230']).exit).signal).toBe('SIGKILL');
    expect((await start([file, 'at-least-once']).exit).code).toBe(0);
    const model = readModel(file);
    expect(model.distinct).toBe(events);
    expect(model.rows).toBeGreaterThan(events);
  });
});

describe('two processes starting the same consumer on one SQLite file', () => {
  it('one runs, the other waits, and takes over within the lease once the first is killed', { timeout: 60_000 }, async () => {
    const file = join(dir, 'lease.db');
    await history(file, 50);
    const first = start([file, 'hold']);
    await waitFor(
      () => first.output().includes('running'),
      20_000,
      () => first.output(),
    );
    const second = start([file, 'hold']);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(second.output()).not.toContain('running');
    first.process.kill('SIGKILL');
    await first.exit;
    const killedAt = Date.now();
    await waitFor(
      () => second.output().includes('running'),
      20_000,
      () => second.output(),
    );
    // A lease of 1 s, renewed every third of it: free at most about 1 s after the kill (plus a loaded machine's delay).
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    second.process.kill('SIGTERM');
    await second.exit;
  });
});

async function waitFor(condition: () => boolean, ms: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
