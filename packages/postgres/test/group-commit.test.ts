import type { AppendResult, Json } from '@hume/core';
import { PostgresEventStore } from '@hume/postgres';
import { describe, expect, it } from 'vitest';
import { admin, newPool, range, storedSeqs, storeForFile } from './database.js';

const { schema, pool, store } = storeForFile('group_commit', { max: 8 });

interface Call {
  readonly stream: string;
  readonly payload: Json;
  readonly expect: number | undefined;
}

/**
 * What each call must come to when one store judges a stream's appends in
 * their order of arrival: without expect the next seq; with expect the next
 * seq only when the stream is there, else a conflict that reports where it is.
 */
function model(calls: readonly Call[]): AppendResult[] {
  const last = new Map<string, number>();
  return calls.map((call) => {
    const at = last.get(call.stream) ?? 0;
    if (call.expect !== undefined && call.expect !== at) {
      return {
        ok: false,
        error: expect.objectContaining({ code: 'UNEXPECTED_SEQ', stream: call.stream, expected: call.expect, actual: at }),
      };
    }
    last.set(call.stream, at + 1);
    return { ok: true, seq: at + 1 };
  });
}

/** A seeded generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('group commit: appends in flight at once through one store', () => {
  it('gives every one of 400 callers on 6 streams, with and without expect, the outcome of its own append, in fewer statements', async () => {
    const next = random(12);
    const streams = range(1, 6).map((i) => `mixed-${i}`);
    // Expects near where each stream will be, so that some hit and some miss.
    const guess = new Map<string, number>();
    const calls: Call[] = range(1, 400).map((i) => {
      const stream = streams[Math.floor(next() * streams.length)] as string;
      const near = guess.get(stream) ?? 0;
      const roll = next();
      const expected = roll < 0.4 ? undefined : roll < 0.8 ? near : Math.max(0, near - 1 - Math.floor(next() * 3));
      if (roll < 0.4 || roll < 0.8) guess.set(stream, near + 1);
      return { stream, payload: { i, stream }, expect: expected };
    });
    let statements = 0;
    const onAcquire = (): void => {
      statements++;
    };
    pool.on('acquire', onAcquire);
    const results = await Promise.all(calls.map((call) => store.append(call.stream, call.payload, call.expect)));
    pool.off('acquire', onAcquire);
    const expected = model(calls);
    expect(results).toEqual(expected);
    // Stored: exactly the accepted payloads, in their order of arrival.
    for (const stream of streams) {
      const payloads: Json[] = [];
      for await (const event of store.events(stream)) payloads.push(event.payload);
      expect(payloads).toEqual(calls.filter((call, index) => call.stream === stream && expected[index]?.ok).map((call) => call.payload));
    }
    expect(statements).toBeLessThan(calls.length / 4);
  });

  it('gives appends and batches without expect on several streams, new and old, the seqs of their order of arrival (the set-based statement)', async () => {
    await store.appendMany('set-old', ['o1', 'o2', 'o3']);
    const next = random(7);
    const streams = ['set-old', 'set-new-\u{1F600}', 'set-new-\uFF61', 'set-new-a'];
    const calls = range(1, 300).map((i) => {
      const stream = streams[Math.floor(next() * streams.length)] as string;
      const size = next() < 0.3 ? 1 + Math.floor(next() * 4) : 0;
      return { stream, payloads: size === 0 ? [{ i }] : range(1, size).map((j) => ({ i, j })), many: size !== 0 };
    });
    const results = await Promise.all(
      calls.map((call) => (call.many ? store.appendMany(call.stream, call.payloads) : store.append(call.stream, call.payloads[0] as Json))),
    );
    const last = new Map<string, number>([['set-old', 3]]);
    const expected = calls.map((call) => {
      const first = (last.get(call.stream) ?? 0) + 1;
      const seq = first + call.payloads.length - 1;
      last.set(call.stream, seq);
      return call.many ? { ok: true, first, seq } : { ok: true, seq };
    });
    expect(results).toEqual(expected);
    for (const stream of streams) {
      const payloads: Json[] = [];
      for await (const event of store.events(stream)) payloads.push(event.payload);
      const older = stream === 'set-old' ? ['o1', 'o2', 'o3'] : [];
      expect(payloads).toEqual([...older, ...calls.filter((call) => call.stream === stream).flatMap((call) => call.payloads)]);
    }
  });

  it('stores a group of 3,000 appends on 3,000 streams, each at seq 1 with its own payload', async () => {
    const streams = range(1, 3000).map((i) => `wide-${String(i).padStart(4, '0')}`);
    const results = await Promise.all(streams.map((stream) => store.append(stream, { stream })));
    expect(results.every((result) => result.ok && result.seq === 1)).toBe(true);
    const rows = await admin<{ stream: string; seq: string; payload: { stream: string } }>(
      `SELECT stream, seq::text, payload FROM "${schema}".hume_events WHERE stream LIKE 'wide-%' ORDER BY stream`,
    );
    expect(rows.map((row) => [row.stream, row.seq, row.payload.stream])).toEqual(streams.map((stream) => [stream, '1', stream]));
  });

  it('plans each set-based group statement once per connection, not on every run (plans that do not depend on the group size)', async () => {
    const lone = newPool({ max: 1 });
    const each = new PostgresEventStore(lone, { schema });
    try {
      for (const round of range(1, 12)) {
        // One event on each of 8 streams (the leanest statement), then two on each (the general one).
        const singles = await Promise.all(range(1, 8).map((i) => each.append(`planned-${i}`, { round })));
        const pairs = await Promise.all(range(1, 8).map((i) => each.appendMany(`planned-${i}`, [{ round }, { round }])));
        expect([...singles, ...pairs].every((result) => result.ok)).toBe(true);
      }
      const rows = await lone.query<{ head: string; generic: string; custom: string }>(
        "SELECT left(statement, 9) AS head, generic_plans::text AS generic, custom_plans::text AS custom FROM pg_prepared_statements WHERE statement LIKE 'WITH u AS%' OR statement LIKE 'WITH c AS%' ORDER BY 1",
      );
      expect(rows.rows.map((row) => row.head)).toEqual(['WITH c AS', 'WITH u AS']);
      for (const row of rows.rows) {
        // Five custom plans before the server compares them with the generic one (plancache.c), then the generic one.
        expect(Number(row.custom)).toBeLessThanOrEqual(5);
        expect(Number(row.generic)).toBeGreaterThan(0);
      }
    } finally {
      await each.close();
      await lone.end();
    }
  });

  it("gives one append on each of several streams, old and new, in a group (the leanest statement) its own stream's next seq and payload", async () => {
    // Names whose code-unit order differs from their code-point order ("C"), at different lengths.
    const streams = ['one-each-\u{1F600}', 'one-each-\uFF61', 'one-each-a', 'one-each-b', 'one-each-new'];
    const lengths = [3, 1, 0, 5, 0];
    for (const [index, stream] of streams.entries()) {
      if ((lengths[index] as number) > 0)
        await store.appendMany(
          stream,
          range(1, lengths[index] as number).map((n) => ({ n })),
        );
    }
    const lone = newPool({ max: 1 });
    const each = new PostgresEventStore(lone, { schema });
    try {
      for (const round of range(1, 3)) {
        // A first append goes alone and holds the connection; the others queue and go together after it.
        const order = round === 2 ? [...streams].reverse() : streams;
        const results = await Promise.all([
          each.append('one-each-lead', { round }),
          ...order.map((stream) => each.append(stream, { stream, round })),
        ]);
        expect(results.slice(1)).toEqual(order.map((stream) => ({ ok: true, seq: (lengths[streams.indexOf(stream)] as number) + round })));
      }
      const used = await lone.query("SELECT 1 FROM pg_prepared_statements WHERE statement LIKE 'WITH c AS%'");
      expect(used.rows).toHaveLength(1);
    } finally {
      await each.close();
      await lone.end();
    }
    for (const [index, stream] of streams.entries()) {
      const events: { seq: number; payload: Json }[] = [];
      for await (const event of store.events(stream)) events.push({ seq: event.seq, payload: event.payload });
      const length = lengths[index] as number;
      expect(events).toEqual([
        ...range(1, length).map((n) => ({ seq: n, payload: { n } })),
        ...range(1, 3).map((round) => ({ seq: length + round, payload: { stream, round } })),
      ]);
    }
  });

  it('does not delay a lone append: each of several awaited appends takes one statement of its own', async () => {
    let statements = 0;
    const onAcquire = (): void => {
      statements++;
    };
    pool.on('acquire', onAcquire);
    for (const i of range(1, 5)) expect(await store.append('lone', { i }, i - 1)).toEqual({ ok: true, seq: i });
    pool.off('acquire', onAcquire);
    expect(statements).toBe(5);
  });

  it('judges pipelined appends with consecutive expects in their order of arrival: all succeed', async () => {
    const results = await Promise.all(range(0, 49).map((seq) => store.append('pipelined', { seq }, seq)));
    expect(results).toEqual(range(1, 50).map((seq) => ({ ok: true, seq })));
    expect(await storedSeqs(schema, 'pipelined')).toEqual(range(1, 50));
  });

  it('lets two stores group-committing on overlapping streams in opposite orders race without a deadlock', async () => {
    const before = await deadlocks();
    const pools = [newPool({ max: 4 }), newPool({ max: 4 })];
    const stores = pools.map((each) => new PostgresEventStore(each, { schema }));
    try {
      const streams = range(1, 8).map((i) => `overlap-${i}`);
      const rounds = 20;
      const work = stores.map(async (each, index) => {
        const results: AppendResult[] = [];
        for (const round of range(1, rounds)) {
          // One store sends the streams in ascending order, the other descending: unsorted,
          // their group commits would lock the same counter rows in opposite orders.
          const order = index === 0 ? streams : [...streams].reverse();
          const calls = range(1, 3).flatMap(() => order.map((stream) => each.append(stream, { index, round })));
          results.push(...(await Promise.all(calls)));
        }
        return results;
      });
      const results = (await Promise.all(work)).flat();
      expect(results.every((result) => result.ok)).toBe(true);
      for (const stream of streams) expect(await storedSeqs(schema, stream)).toEqual(range(1, 6 * rounds));
    } finally {
      await Promise.all(stores.map((each) => each.close()));
      await Promise.all(pools.map((each) => each.end()));
    }
    // A deadlock is retried by the store, so only the server's count shows it; a session
    // reports its counts when it ends, which these just did.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await deadlocks()).toBe(before);
  });

  it('rejects every append of a failed statement with BACKEND, stores none of them, and leaves the others alone', async () => {
    // A batch ending past the largest safe seq fails its whole statement (the counter's CHECK).
    await admin(`INSERT INTO "${schema}".hume_streams VALUES ('near-the-end', $1)`, [String(Number.MAX_SAFE_INTEGER - 1)]);
    const lone = store.append('group-failure-a', 'first, alone');
    const grouped = [
      store.append('group-failure-b', 'b'),
      store.appendMany('near-the-end', ['x', 'y']),
      store.append('group-failure-c', 'c', 0),
    ];
    expect(await lone).toEqual({ ok: true, seq: 1 });
    const outcomes = await Promise.allSettled(grouped);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'BACKEND' } });
    expect(await storedSeqs(schema, 'group-failure-b')).toEqual([]);
    expect(await storedSeqs(schema, 'group-failure-c')).toEqual([]);
    expect(await storedSeqs(schema, 'near-the-end')).toEqual([]);
    expect(await store.append('group-failure-b', 'b again', 0)).toEqual({ ok: true, seq: 1 });
  });

  it('rejects every append of a failed group of one event on each stream (the leanest statement) and stores none of them', async () => {
    // One stream at the largest safe seq: its next seq breaks the counter's CHECK, and the statement fails.
    await admin(`INSERT INTO "${schema}".hume_streams VALUES ('each-failure-full', $1)`, [String(Number.MAX_SAFE_INTEGER)]);
    const lone = store.append('each-failure-lead', 'first, alone');
    const grouped = ['each-failure-a', 'each-failure-full', 'each-failure-z'].map((stream) => store.append(stream, stream));
    expect(await lone).toEqual({ ok: true, seq: 1 });
    const outcomes = await Promise.allSettled(grouped);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'BACKEND' } });
    for (const stream of ['each-failure-a', 'each-failure-full', 'each-failure-z']) expect(await storedSeqs(schema, stream)).toEqual([]);
    const counters = await admin<{ stream: string }>(
      `SELECT stream FROM "${schema}".hume_streams WHERE stream IN ('each-failure-a', 'each-failure-z')`,
    );
    expect(counters).toEqual([]);
    expect(await store.append('each-failure-a', 'a again', 0)).toEqual({ ok: true, seq: 1 });
  });
});

async function deadlocks(): Promise<number> {
  const rows = await admin<{ deadlocks: string }>('SELECT deadlocks::text FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0]?.deadlocks);
}
