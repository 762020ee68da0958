import { PostgresEventStore } from '@hume/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/postgres-options.js';
import { statementsFor } from '../../src/postgres-statements.js';
import { admin, migratedStore, range, schemaName } from '../database.js';
import { extraHops, type Notice, planOf, pushedDown, remoteCommands, tracedPool } from './citus-plans.js';

const schema = schemaName('citus_routing');
const sql = statementsFor(resolveOptions({ schema, citus: true }));
const notices: Notice[] = [];
const pool = tracedPool(notices);
const store = new PostgresEventStore(pool, { schema, citus: true });

beforeAll(async () => {
  await (await migratedStore(schema, { citus: true })).close();
});

afterAll(async () => {
  await store.close();
  await pool.end();
});

/** Runs `work` and returns the notices it caused. */
async function traced(work: () => Promise<unknown>): Promise<Notice[]> {
  notices.length = 0;
  await work();
  return [...notices];
}

const appendCall = new RegExp(`^SELECT ${schema}\\.hume_append\\(`);

describe('the layout migrate() gives with citus: true', () => {
  it('distributes both tables by stream in one colocation group, and the append function by its stream argument in the same group', async () => {
    const tables = await admin<{ table: string; column: string; colocation: string }>(
      `SELECT logicalrelid::text AS table, column_to_column_name(logicalrelid, partkey) AS column, colocationid::text AS colocation
       FROM pg_dist_partition WHERE logicalrelid IN ($1::regclass, $2::regclass) ORDER BY 1`,
      [`"${schema}".hume_events`, `"${schema}".hume_streams`],
    );
    expect(tables).toEqual([
      { table: `${schema}.hume_events`, column: 'stream', colocation: expect.any(String) },
      { table: `${schema}.hume_streams`, column: 'stream', colocation: tables[0]?.colocation },
    ]);
    const [append] = await admin<{ argument: number; colocation: string }>(
      `SELECT distribution_argument_index AS argument, colocationid::text AS colocation FROM pg_dist_object
       WHERE classid = 'pg_proc'::regclass AND objid = to_regproc($1)`,
      [`"${schema}".hume_append`],
    );
    expect(append).toEqual({ argument: 0, colocation: tables[0]?.colocation });
  });
});

describe('plans on Citus: every append, batch and read is one task on one worker', () => {
  it('an append, with and without expect, and a batch: one task, the function call itself sent to the worker', async () => {
    for (const args of [
      ["'plan-lone'", "'{1}'", 'NULL', `ARRAY['{"n":1}']::json[]`],
      ["'plan-expect'", "'{1}'", "'{0}'", `ARRAY['{"n":1}']::json[]`],
      ["'plan-batch'", "'{2,1}'", "'{NULL,NULL}'", `ARRAY['1','2','3']::json[]`],
    ]) {
      // EXPLAIN does not run the call; the warm-up does, without the expect, which would hold only once.
      const plan = await planOf(sql.append.text, args, [args[0] ?? '', args[1] ?? '', 'NULL', args[3] ?? '']);
      expect(extraHops(plan), plan).toEqual([]);
      // Delegated: the task's query is the call, not the statements inside the function.
      expect(plan, plan).toMatch(/Query: SELECT \S+\.hume_append\(/);
    }
  });

  it('a page of a read: one task, an index scan of the stream on one shard', async () => {
    const plan = await planOf(sql.readPage.text, ["'plan-lone'", '0', '1000', '4194304']);
    expect(extraHops(plan), plan).toEqual([]);
    expect(plan).toMatch(/Index Scan using hume_events_pkey_\d+/);
  });

  it('catches a plan of several hops: the 1.0 counter CTE, which the store does not send on Citus, is pulled to the coordinator', async () => {
    // As text with its values in place: Citus cannot plan that CTE as a prepared statement at all.
    const text = sql.appendOne.text.replaceAll('$1', "'plan-cte'").replaceAll('$2', `'{"n":1}'`);
    const plan = (await admin<{ 'QUERY PLAN': string }>(`EXPLAIN (VERBOSE, COSTS OFF) ${text}`)).map((row) => row['QUERY PLAN']).join('\n');
    expect(extraHops(plan)).toEqual(expect.arrayContaining(['pull to coordinator', 'a distributed subplan']));
  });
});

describe('call delegation on Citus: one coordinator→worker command per append', () => {
  it('sends each awaited append, with and without expect, and each batch as one pushed-down call, past the switch to a generic plan', async () => {
    const seen = await traced(async () => {
      for (const i of range(1, 12)) expect(await store.append('delegated-a', { i })).toEqual({ ok: true, seq: i });
      for (const i of range(1, 12)) expect(await store.append('delegated-b', { i }, i - 1)).toEqual({ ok: true, seq: i });
      for (const i of range(0, 3))
        expect(await store.appendMany('delegated-c', [1, 2, 3], i * 3)).toMatchObject({ ok: true, seq: i * 3 + 3 });
    });
    const commands = remoteCommands(seen);
    expect(commands).toHaveLength(28);
    for (const command of commands) expect(command).toMatch(appendCall);
    expect(pushedDown(seen)).toBe(28);
  });

  it('sends appends in flight on 8 streams as calls of one stream each, several at once, never a statement across shards', async () => {
    const streams = range(1, 8).map((i) => `delegated-many-${i}`);
    const seen = await traced(async () => {
      const results = await Promise.all(range(1, 80).map((i) => store.append(streams[i % 8] as string, { i })));
      expect(results.every((result) => result.ok)).toBe(true);
    });
    const commands = remoteCommands(seen);
    for (const command of commands) expect(command).toMatch(appendCall);
    expect(commands.length).toBeGreaterThanOrEqual(8);
    expect(pushedDown(seen)).toBe(commands.length);
    for (const stream of streams) {
      const seqs: number[] = [];
      for await (const event of store.events(stream)) seqs.push(event.seq);
      expect(seqs).toEqual(range(1, 10));
    }
  });

  it('reads a stream in one worker query per page', async () => {
    const pagedStore = new PostgresEventStore(pool, { schema, citus: true, readPageSize: 5 });
    expect(await store.appendMany('paged', range(1, 12))).toMatchObject({ ok: true, seq: 12 });
    const seen = await traced(async () => {
      const seqs: number[] = [];
      for await (const event of pagedStore.events('paged')) seqs.push(event.seq);
      expect(seqs).toEqual(range(1, 12));
    });
    const commands = remoteCommands(seen);
    // 5 + 5 + 2 events: three pages, each one query on the shard of the stream.
    expect(commands).toHaveLength(3);
    for (const command of commands) expect(command).toMatch(/FROM \S+\.hume_events_\d+ hume_events WHERE/);
    await pagedStore.close();
  });
});
