import type { Json } from '@hume/core';
import { PostgresEventStore } from '@hume/postgres';
import { describe, expect, it } from 'vitest';
import { admin, newPool, range, storedSeqs, storeForFile } from './database.js';

const { schema, store } = storeForFile('append_many', { max: 8 });

async function read(stream: string): Promise<Json[]> {
  const payloads: Json[] = [];
  for await (const event of store.events(stream)) payloads.push(event.payload);
  return payloads;
}

describe('appendMany', () => {
  it('stores the payloads at contiguous seqs after the last, and resolves with the first and the last', async () => {
    expect(await store.appendMany('cart', [{ type: 'opened' }, { type: 'item-added' }], 0)).toEqual({ ok: true, first: 1, seq: 2 });
    expect(await store.appendMany('cart', ['a', 'b', 'c'])).toEqual({ ok: true, first: 3, seq: 5 });
    expect(await store.appendMany('cart', ['d'], 5)).toEqual({ ok: true, first: 6, seq: 6 });
    expect(await read('cart')).toEqual([{ type: 'opened' }, { type: 'item-added' }, 'a', 'b', 'c', 'd']);
  });

  it('stores none of a batch whose expect does not match, and reports the last seq', async () => {
    await store.append('stale', 'one');
    const result = await store.appendMany('stale', ['x', 'y'], 0);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNEXPECTED_SEQ', expected: 0, actual: 1 } });
    expect(await storedSeqs(schema, 'stale')).toEqual([1]);
  });

  it('refuses an empty batch, a batch with one bad payload, and a batch that is not an array, storing nothing', async () => {
    for (const payloads of [[], ['fine', Number.NaN, 'fine'], 'not an array' as unknown as Json[]]) {
      const result = await store.appendMany('refused', payloads);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    const bad = await store.appendMany('refused', ['fine', { amount: Number.NaN }]);
    expect(bad).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^payloads\[1\]\.amount /) } });
    expect(await storedSeqs(schema, 'refused')).toEqual([]);
  });

  it('stores a batch of 10,000 events in one call', async () => {
    const payloads = range(1, 10_000).map((i) => ({ i }));
    expect(await store.appendMany('ten-thousand', payloads, 0)).toEqual({ ok: true, first: 1, seq: 10_000 });
    expect(await read('ten-thousand')).toEqual(payloads);
  });

  it('never interleaves racing batches, from one store or from two', async () => {
    const otherPool = newPool({ max: 4 });
    const other = new PostgresEventStore(otherPool, { schema });
    try {
      const batches = range(1, 24).map((b) => range(1, 5).map((i) => ({ b, i })));
      const results = await Promise.all(batches.map((batch, b) => (b % 2 === 0 ? store : other).appendMany('racing', batch)));
      const stored = await read('racing');
      expect(stored).toHaveLength(24 * 5);
      for (const [b, result] of results.entries()) {
        if (!result.ok) throw result.error;
        expect(result.seq - result.first).toBe(4);
        expect(stored.slice(result.first - 1, result.seq)).toEqual(batches[b]);
      }
    } finally {
      await other.close();
      await otherPool.end();
    }
  });

  it('shares a group commit with single appends, each batch one unit with its own outcome', async () => {
    await store.append('shared', 'zero');
    const results = await Promise.all([
      store.append('shared', 'alone'),
      store.appendMany('shared', ['b1', 'b2'], 2),
      store.appendMany('shared', ['c1', 'c2'], 2),
      store.append('shared', 'last', 4),
      store.appendMany('elsewhere', ['e1', 'e2', 'e3']),
    ]);
    expect(results).toEqual([
      { ok: true, seq: 2 },
      { ok: true, first: 3, seq: 4 },
      { ok: false, error: expect.objectContaining({ code: 'UNEXPECTED_SEQ', expected: 2, actual: 4 }) },
      { ok: true, seq: 5 },
      { ok: true, first: 1, seq: 3 },
    ]);
    expect(await read('shared')).toEqual(['zero', 'alone', 'b1', 'b2', 'last']);
  });

  it('records one transaction and ascending positions for a batch: the feed order', async () => {
    await store.appendMany('feed-order', ['p', 'q', 'r'], 0);
    const rows = await admin<{ tx: string; position: string; seq: string }>(
      `SELECT tx::text, position::text, seq::text FROM "${schema}".hume_events WHERE stream = 'feed-order' ORDER BY tx, position`,
    );
    expect(rows.map((row) => Number(row.seq))).toEqual([1, 2, 3]);
    expect(new Set(rows.map((row) => row.tx)).size).toBe(1);
  });
});

describe('schema version 1', () => {
  it('has the feed columns, defaulting to the transaction and a sequence, and the (tx, position) index', async () => {
    const columns = await admin<{ column_name: string; data_type: string; column_default: string | null; is_identity: string }>(
      `SELECT column_name, data_type, column_default, is_identity FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'hume_events' ORDER BY ordinal_position`,
      [schema],
    );
    expect(columns.map((column) => column.column_name)).toEqual([
      'stream',
      'seq',
      'payload',
      'payload_bytes',
      'recorded_at',
      'tx',
      'position',
    ]);
    expect(columns.find((column) => column.column_name === 'tx')).toMatchObject({
      data_type: 'xid8',
      column_default: 'pg_current_xact_id()',
    });
    expect(columns.find((column) => column.column_name === 'position')).toMatchObject({ data_type: 'bigint', is_identity: 'YES' });
    const indexes = await admin<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'hume_feed_order'`,
      [schema],
    );
    expect(indexes.map((index) => index.indexdef)).toEqual([expect.stringMatching(/USING btree \(tx, "?position"?\)$/)]);
  });
});
