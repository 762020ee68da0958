import { PostgresEventStore } from '@hume/postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/postgres-options.js';
import { statementsFor } from '../src/postgres-statements.js';
import { admin, databaseUrl, newPool, range, storeForFile } from './database.js';

const { schema, store } = storeForFile('feed_order');
const sql = statementsFor(resolveOptions({ schema }));
const clients: pg.Client[] = [];

afterAll(async () => {
  await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
});

/** The stream's seqs in the feed's order, `(tx, position)`. */
async function feedOrder(stream: string): Promise<number[]> {
  const rows = await admin<{ seq: string }>(
    `SELECT seq::text AS seq FROM "${schema}".hume_events WHERE stream = $1 ORDER BY tx, position`,
    [stream],
  );
  return rows.map((row) => Number(row.seq));
}

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

/** Resolves once the session `pid` waits for a lock. */
async function waitingForLock(pid: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [row] = await admin<{ waiting: boolean }>(`SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`, [
      pid,
    ]);
    if (row?.waiting) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`session ${pid} never waited for a lock`);
}

/**
 * B opens a transaction and takes its xid; then A, younger, appends to `stream` (its next seq) and
 * holds the counter row, uncommitted. B's pid tells when B's write waits for it.
 */
async function youngerHoldsTheRow(stream: string): Promise<{ a: pg.Client; b: pg.Client; bPid: number }> {
  const [a, b] = [await connect(), await connect()];
  await b.query('BEGIN');
  await b.query('SELECT pg_current_xact_id()');
  await a.query('BEGIN');
  await a.query(sql.appendOne.text, [stream, '{}']);
  const bPid = (await b.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number;
  return { a, b, bPid };
}

type Write = (client: pg.Client, stream: string, other: string) => Promise<unknown>;

/** The append paths of the schema and statements, each as the second writer calls it. */
const paths: Record<string, Write> = {
  'the lone-append statement': (client, stream) => client.query(sql.appendOne.text, [stream, '{}']),
  'append() without expect': (client, stream) => client.query(sql.append.text, [stream, [2], null, ['{}', '{}']]),
  'append() with one expect (its single statement)': (client, stream) => client.query(sql.append.text, [stream, [1], [2], ['{}']]),
  'append() with several expects (the locked loop)': (client, stream) =>
    client.query(sql.append.text, [stream, [1, 1], [2, null], ['{}', '{}']]),
  'append_all() with expects': (client, stream, other) => {
    const streams = [stream, other].sort();
    return client.query(sql.appendAll.text, [streams, [1, 1], streams.map((name) => (name === stream ? 2 : null)), ['{}', '{}']]);
  },
  'the set-based group commit without expect': (client, stream, other) =>
    client.query(sql.appendAllWithoutExpect.text, [[stream, other].sort(), [1, 1], ['{}', '{}']]),
  'the group commit of one event on each stream': (client, stream, other) =>
    client.query(sql.appendOneEach.text, [[stream, other].sort(), ['{}', '{}']]),
};

describe("the feed order of a stream's events", () => {
  // A transaction takes its xid at its first write, before it waits for a row lock. B takes its
  // xid, then A (a younger xid) appends and holds the counter row; B's append waits for it and
  // stores the later seqs. Ordered by the writer's own xid, B's seqs would sort before A's.
  for (const [name, write] of Object.entries(paths)) {
    it(`keeps seq order when a writer with an older xid waited for a younger one: ${name}`, async () => {
      const stream = `older-xid-${name.replace(/\W+/g, '-')}`;
      await store.append(stream, { first: true });
      const { a, b, bPid } = await youngerHoldsTheRow(stream);
      const waiting = write(b, stream, `${stream}-other`);
      await waitingForLock(bPid);
      await a.query('COMMIT');
      await waiting;
      await b.query('COMMIT');
      const seqs = await feedOrder(stream);
      expect(seqs.length).toBeGreaterThanOrEqual(3);
      expect(seqs).toEqual(range(1, seqs.length));
    });
  }

  // The one path the table above cannot take: a writer that waited for the counter row stores nothing, since the
  // row it waited for has moved past its expect; it answers its expect as the actual seq, which sends its store to append().
  it('stores nothing by the lone append with an expect when the counter row it expects moves meanwhile: no event can sort out of order', async () => {
    const stream = 'older-xid-append-after';
    await store.append(stream, { first: true });
    const { a, b, bPid } = await youngerHoldsTheRow(stream);
    const waiting = b.query(sql.appendAfter.text, [stream, 1, ['{}']]);
    await waitingForLock(bPid);
    await a.query('COMMIT');
    expect((await waiting).rows).toEqual([{ array: ['-2'] }]);
    await b.query('COMMIT');
    expect(await feedOrder(stream)).toEqual([1, 2]);
  });

  it('keeps seq order when a writer with an older xid waited to create the stream', async () => {
    const stream = 'older-xid-new-stream';
    const { a, b, bPid } = await youngerHoldsTheRow(stream);
    const waiting = b.query(sql.append.text, [stream, [1], null, ['{}']]);
    await waitingForLock(bPid);
    await a.query('COMMIT');
    await waiting;
    await b.query('COMMIT');
    expect(await feedOrder(stream)).toEqual([1, 2]);
  });

  it('keeps seq order on 3 streams written at once by 4 stores of 4 lanes each, through every append path', async () => {
    const streams = ['busy-a', 'busy-b', 'busy-c'];
    const pools = range(1, 4).map(() => newPool({ max: 3 }));
    const stores = pools.map((pool) => new PostgresEventStore(pool, { schema }));
    const reader = newPool({ max: 2 });
    try {
      await Promise.all(
        stores.flatMap((writer, w) =>
          range(1, 4).map(async (lane) => {
            for (let i = 0; i < 40; i++) {
              const stream = streams[(w + lane + i) % streams.length] as string;
              const kind = (w * 7 + lane * 3 + i) % 3;
              if (kind === 0) await writer.append(stream, { w, lane, i });
              else if (kind === 1)
                await writer.appendMany(stream, [
                  { w, lane, i },
                  { w, lane, i, second: true },
                ]);
              else {
                // An expect taken from a read: it often misses under this contention, which takes the locked path.
                const { rows } = await reader.query<{ seq: string }>(`SELECT seq::text FROM "${schema}".hume_streams WHERE stream = $1`, [
                  stream,
                ]);
                const last = rows[0];
                await writer.append(stream, { w, lane, i }, Number(last?.seq ?? 0));
              }
            }
          }),
        ),
      );
      for (const stream of streams) {
        const seqs = await feedOrder(stream);
        expect(seqs).toEqual(range(1, seqs.length));
      }
    } finally {
      await Promise.all(stores.map((writer) => writer.close()));
      await Promise.all([...pools, reader].map((pool) => pool.end()));
    }
  });
});
