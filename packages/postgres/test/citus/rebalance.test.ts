import { PostgresEventStore } from '@hume/postgres';
import type pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { startNode } from '../../scripts/citus-cluster.mjs';
import { admin, migratedStore, newPool, range, schemaName } from '../database.js';
import { expectIntact, Load, pause, type Writer } from './load.js';

const schema = schemaName('citus_rebalance');

/** The worker port of each stream's shard. */
async function placements(streams: readonly string[]): Promise<Map<string, number>> {
  const rows = await admin<{ stream: string; port: number }>(
    `SELECT s.stream, p.nodeport AS port FROM unnest($1::text[]) AS s(stream)
     JOIN citus_shards p ON p.shardid = get_shard_id_for_distribution_column($2, s.stream) AND p.table_name = $2::regclass`,
    [streams, `"${schema}".hume_events`],
  );
  return new Map(rows.map((row) => [row.stream, row.port]));
}

describe('online rebalancing on Citus', () => {
  it('adds a fourth node, rebalances and moves a hot shard while 8 writers append (with and without expect) and readers read: nothing lost, doubled or reordered', async () => {
    await (await migratedStore(schema, { citus: true })).close();
    const stores: PostgresEventStore[] = [];
    const pools: pg.Pool[] = [];
    const open = (): PostgresEventStore => {
      const pool = newPool({ max: 2 });
      const store = new PostgresEventStore(pool, { schema, citus: true });
      pools.push(pool);
      stores.push(store);
      return store;
    };
    // Writers 0-3: 4 streams each, of their own, with expect; writers 4-7: 8 streams shared, without.
    const shared = range(1, 8).map((i) => `shared-${i}`);
    const writers: Writer[] = range(0, 7).map((w) =>
      w < 4
        ? { store: open(), streams: range(1, 4).map((i) => `own-${w}-${i}`), withExpect: true }
        : { store: open(), streams: shared, withExpect: false },
    );
    const load = new Load(writers, [open(), open()]);
    try {
      await pause(2000);
      const [port] = inject('citusSparePorts');
      await startNode(inject('citusDir'), port as number);
      await admin('SELECT citus_add_node($1, $2)', ['127.0.0.1', port]);
      const rebalanceStarted = performance.now();
      await admin('SELECT citus_rebalance_start()');
      await admin('SELECT citus_rebalance_wait()');
      const rebalanced = performance.now();
      const moved = await admin<{ shards: string }>('SELECT count(*)::text AS shards FROM citus_shards WHERE nodeport = $1', [port]);
      expect(Number(moved[0]?.shards)).toBeGreaterThan(0);
      expect(load.ackedSince(rebalanceStarted)).toBeGreaterThan(0);

      // The shard of writer 0's first stream, hot, moved to another worker and back while it is written.
      const hot = 'own-0-1';
      const from = (await placements([hot])).get(hot) as number;
      const [to] = await admin<{ port: number }>(
        "SELECT nodeport AS port FROM pg_dist_node WHERE shouldhaveshards AND noderole = 'primary' AND nodeport <> $1 ORDER BY nodeport LIMIT 1",
        [from],
      );
      const shard = await admin<{ id: string }>('SELECT get_shard_id_for_distribution_column($1::regclass, $2::text)::text AS id', [
        `"${schema}".hume_events`,
        hot,
      ]);
      const moveStarted = performance.now();
      for (const [source, target] of [
        [from, to?.port],
        [to?.port, from],
      ]) {
        await admin("SELECT citus_move_shard_placement($1::bigint, '127.0.0.1', $2, '127.0.0.1', $3)", [shard[0]?.id, source, target]);
        expect((await placements([hot])).get(hot)).toBe(target);
      }
      const movedBack = performance.now();
      expect(load.ackedSince(moveStarted, new Set([hot]))).toBeGreaterThan(0);
      await pause(1000);
      const after = performance.now();
      await pause(1000);
      // Every writer kept going past the moves.
      for (const w of range(0, 7))
        expect(load.acked.filter((ack) => ack.writer === w && ack.at >= after).length, `writer ${w}`).toBeGreaterThan(0);
      await load.stop();
      const total = await expectIntact(stores[0] as PostgresEventStore, load);
      expect(total).toBe(load.acked.length);
      console.log(
        `[rebalance] ${load.acked.length} appends acknowledged, ${load.reads} reads checked; rebalance ${Math.round(rebalanced - rebalanceStarted)} ms, two moves of the hot shard ${Math.round(movedBack - moveStarted)} ms; failures: ${JSON.stringify({ ...load.failures, messages: [...load.failures.messages] })}`,
      );
    } finally {
      await load.stop().catch(() => undefined);
      for (const store of stores) await store.close();
      for (const pool of pools) await pool.end();
    }
  });
});
