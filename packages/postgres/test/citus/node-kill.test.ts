import { PostgresEventStore } from '@hume/postgres';
import type pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { killNode, startNode } from '../../scripts/citus-cluster.mjs';
import { admin, migratedStore, newPool, range, schemaName } from '../database.js';
import { expectIntact, Load, pause, type Writer } from './load.js';

const schema = schemaName('citus_kill');

/** The worker port of each stream's shard. */
async function placements(streams: readonly string[]): Promise<Map<string, number>> {
  const rows = await admin<{ stream: string; port: number }>(
    `SELECT s.stream, p.nodeport AS port FROM unnest($1::text[]) AS s(stream)
     JOIN citus_shards p ON p.shardid = get_shard_id_for_distribution_column($2::regclass, s.stream) AND p.table_name = $2::regclass`,
    [streams, `"${schema}".hume_events`],
  );
  return new Map(rows.map((row) => [row.stream, row.port]));
}

async function until(condition: () => boolean, ms: number, what: string | (() => string)): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${typeof what === 'string' ? what : what()} did not happen within ${ms} ms`);
    await pause(100);
  }
}

describe('a worker killed with SIGKILL under load', () => {
  it('fails the appends to its streams with BACKEND, lets the others go on, recovers when it is back, and loses nothing acknowledged', async () => {
    await (await migratedStore(schema, { citus: true })).close();
    const [, victim] = inject('citusPorts') as [number, number, number];
    const candidates = range(1, 200).map((i) => `kill-${i}`);
    const where = await placements(candidates);
    const onVictim = candidates.filter((stream) => where.get(stream) === victim);
    const elsewhere = candidates.filter((stream) => where.get(stream) !== victim);
    expect(onVictim.length).toBeGreaterThanOrEqual(12);
    expect(elsewhere.length).toBeGreaterThanOrEqual(12);
    const stores: PostgresEventStore[] = [];
    const pools: pg.Pool[] = [];
    const open = (): PostgresEventStore => {
      const pool = newPool({ max: 2 });
      pools.push(pool);
      const store = new PostgresEventStore(pool, { schema, citus: true });
      stores.push(store);
      return store;
    };
    // Writers 0-3 with expect on streams of their own, 4-7 without on shared ones; half of each kind on
    // the victim's streams, half elsewhere (a writer awaits each append, so one stuck on a dead stream stays stuck).
    const writers: Writer[] = [
      { store: open(), streams: onVictim.slice(0, 2), withExpect: true },
      { store: open(), streams: onVictim.slice(2, 4), withExpect: true },
      { store: open(), streams: elsewhere.slice(0, 2), withExpect: true },
      { store: open(), streams: elsewhere.slice(2, 4), withExpect: true },
      { store: open(), streams: onVictim.slice(8, 12), withExpect: false },
      { store: open(), streams: onVictim.slice(8, 12), withExpect: false },
      { store: open(), streams: elsewhere.slice(8, 12), withExpect: false },
      { store: open(), streams: elsewhere.slice(8, 12), withExpect: false },
    ];
    const victimStreams = new Set(onVictim);
    const otherStreams = new Set(elsewhere);
    const load = new Load(writers, [open(), open()]);
    try {
      await pause(2000);
      const killed = performance.now();
      killNode(inject('citusDir'), victim);
      // Appends to the dead worker's streams fail with BACKEND; the others go on.
      await until(
        () => load.failed.some((failure) => failure.at > killed && victimStreams.has(failure.stream)),
        30_000,
        'a BACKEND failure',
      );
      await pause(3000);
      const down = performance.now();
      await pause(2000);
      expect(load.ackedSince(down, victimStreams)).toBe(0);
      const othersWhileDown = load.ackedSince(down, otherStreams);
      await startNode(inject('citusDir'), victim);
      const restarted = performance.now();
      const restartMs = Math.round(restarted - down - 2000);
      await until(() => load.ackedSince(restarted, victimStreams) > 0, 60_000, 'an append to a stream of the restarted worker');
      await pause(1000);
      const resumed = (w: number) => load.acked.some((ack) => ack.writer === w && ack.at > restarted);
      await until(
        () => range(0, 7).every(resumed),
        60_000,
        () => `writers ${range(0, 7).filter((w) => !resumed(w))} appending again`,
      );
      await load.stop();
      const total = await expectIntact(stores[0] as PostgresEventStore, load);
      expect(total).toBe(load.acked.length);
      expect(othersWhileDown).toBeGreaterThan(0);
      console.log(
        `[node kill] worker restarted in ${restartMs} ms; ${load.acked.length} appends acknowledged (${othersWhileDown} to other workers' streams in the 2 s the victim was down), ${load.reads} reads checked; failures: ${JSON.stringify({ ...load.failures, messages: [...load.failures.messages] })}`,
      );
    } finally {
      // Whatever failed, the next files get the worker back.
      await startNode(inject('citusDir'), victim);
      await load.stop().catch(() => undefined);
      for (const store of stores) await store.close();
      for (const pool of pools) await pool.end();
    }
  }, 300_000);
});
