// Consumers in processes of their own on PostgreSQL: killed between the read model's write and the
// commit (exactly-once with postgresTransactions), and two started under one name (one runs).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PostgresEventStore } from '@hume/postgres';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/postgres-consumer-child.mjs', import.meta.url));
const url = inject('databaseUrl');

function start(args: string[]): {
  process: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const proc = spawn(process.execPath, [child, url, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: proc, output: () => output, exit };
}

async function query<R extends pg.QueryResultRow>(sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function history(schema: string, events: number): Promise<void> {
  const store = new PostgresEventStore(url, { schema });
  await store.migrate();
  for (let i = 0; i < events; i += 50) {
    const batch = Array.from({ length: 50 }, (_, j) => ({ type: 'deposited', id: `d${i + j}`, amount: i + j }));
    await store.appendMany(`acc-${(i / 50) % 5}`, batch);
  }
  await store.close();
  await query(`CREATE TABLE "${schema}".read_model (stream text NOT NULL, seq bigint NOT NULL, amount bigint NOT NULL)`);
}

async function readModel(schema: string): Promise<{ rows: number; distinct: number; sum: number }> {
  const [row] = await query<{ rows: string; distinct: string; sum: string }>(
    `SELECT count(*) AS rows, count(DISTINCT (stream, seq)) AS distinct, coalesce(sum(amount), 0) AS sum FROM "${schema}".read_model`,
  );
  return { rows: Number(row?.rows), distinct: Number(row?.distinct), sum: Number(row?.sum) };
}

describe('a PostgreSQL consumer killed with SIGKILL between its write and its commit', () => {
  const events = 500;
  const total = (events * (events - 1)) / 2;

  it('with postgresTransactions, applies every event exactly once after a restart', { timeout: 90_000 }, async () => {
    const schema = `${inject('schemaPrefix')}_consumer_once`;
    await history(schema, events);
    const killed = start([schema, 'exactly-once', '230']);
    expect((await killed.exit).signal, killed.output()).toBe('SIGKILL');
    // The batch being written died with its session: what is left is whole batches.
    expect((await readModel(schema)).rows % 50).toBe(0);
    const finished = start([schema, 'exactly-once']);
    expect((await finished.exit).code, finished.output()).toBe(0);
    expect(await readModel(schema)).toEqual({ rows: events, distinct: events, sum: total });
  });

  it('with the default checkpoints (at-least-once), the events of the torn batch come twice: what the transaction prevents', {
    timeout: 90_000,
  }, async () => {
    const schema = `${inject('schemaPrefix')}_consumer_twice`;
    await history(schema, events);
    const killed = start([schema, 'at-least-once', '230']);
    expect((await killed.exit).signal, killed.output()).toBe('SIGKILL');
    const finished = start([schema, 'at-least-once']);
    expect((await finished.exit).code, finished.output()).toBe(0);
    const model = await readModel(schema);
    expect(model.distinct).toBe(events);
    expect(model.rows).toBeGreaterThan(events);
  });
});

describe('two processes starting the same consumer on PostgreSQL', () => {
  it('one runs, the other waits, and takes over as soon as the first is killed', { timeout: 90_000 }, async () => {
    const schema = `${inject('schemaPrefix')}_consumer_lock`;
    await history(schema, 50);
    const first = start([schema, 'hold']);
    await waitFor(() => first.output().includes('running'), 30_000, first.output);
    const second = start([schema, 'hold']);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(second.output()).not.toContain('running');
    first.process.kill('SIGKILL');
    await first.exit;
    await waitFor(() => second.output().includes('running'), 30_000, second.output);
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
