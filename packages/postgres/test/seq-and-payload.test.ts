import { PostgresEventStore } from '@hume/postgres';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { admin, newPool, storedSeqs, storeForFile } from './database.js';

const { schema, store } = storeForFile('seq_payload');

describe('seq', () => {
  it('reaches Number.MAX_SAFE_INTEGER and refuses the append past it with BACKEND, storing nothing', async () => {
    const last = Number.MAX_SAFE_INTEGER - 1;
    await admin(`INSERT INTO "${schema}".hume_streams VALUES ('near-the-end', $1)`, [String(last)]);
    expect(await store.append('near-the-end', 'last', last)).toEqual({ ok: true, seq: Number.MAX_SAFE_INTEGER });
    const past = await store.append('near-the-end', 'one too many').catch((error: unknown) => error);
    expect(past).toMatchObject({ code: 'BACKEND' });
    expect((past as Error).cause).toMatchObject({ code: '23514' });
    expect(await storedSeqs(schema, 'near-the-end')).toEqual([Number.MAX_SAFE_INTEGER]);
    const read = [];
    for await (const event of store.events('near-the-end', last)) read.push(event);
    expect(read).toEqual([{ seq: Number.MAX_SAFE_INTEGER, payload: 'last' }]);
  });

  it('does not depend on the global type parsers of pg, which belong to the application', async () => {
    const { types } = pg;
    types.setTypeParser(types.builtins.INT8, () => 'overridden int8');
    types.setTypeParser(types.builtins.JSON, () => 'overridden json');
    types.setTypeParser(types.builtins.TEXT, () => 'overridden text');
    try {
      expect(await store.append('parsers', { a: 1 })).toEqual({ ok: true, seq: 1 });
      expect(await store.append('parsers', { a: 2 }, 0)).toMatchObject({ ok: false, error: { actual: 1 } });
      const read = [];
      for await (const event of store.events('parsers')) read.push(event);
      expect(read).toEqual([{ seq: 1, payload: { a: 1 } }]);
    } finally {
      const identity = (value: string): string => value;
      types.setTypeParser(types.builtins.INT8, identity);
      types.setTypeParser(types.builtins.JSON, (value: string): unknown => JSON.parse(value));
      types.setTypeParser(types.builtins.TEXT, identity);
    }
  });
});

describe('payload column', () => {
  it('keeps the exact JSON text, U+0000 included, and reads it back equal', async () => {
    const payload = { type: 'renamed', name: 'a\u0000b', emoji: '😀', n: 0.1 };
    await store.append('payloads-nul', payload);
    const [row] = await admin<{ text: string }>(`SELECT payload::text AS text FROM "${schema}".hume_events WHERE stream = 'payloads-nul'`);
    expect(row).toEqual({ text: JSON.stringify(payload) });
    for await (const event of store.events('payloads-nul')) expect(event.payload).toEqual(payload);
  });

  it('is queryable with json operators, except that ->, ->> and jsonb refuse a document holding \\u0000 (as the README says)', async () => {
    await store.append('payloads-sql', { type: 'opened', total: 3 });
    const [plain] = await admin<{ type: string; total: number }>(
      `SELECT payload->>'type' AS type, (payload::jsonb->'total')::int AS total FROM "${schema}".hume_events WHERE stream = 'payloads-sql'`,
    );
    expect(plain).toEqual({ type: 'opened', total: 3 });
    const nul = `FROM "${schema}".hume_events WHERE stream = 'payloads-nul'`;
    await expect(admin(`SELECT payload->>'type' ${nul}`)).rejects.toMatchObject({ code: '22P05' });
    await expect(admin(`SELECT payload::jsonb ${nul}`)).rejects.toMatchObject({ code: '22P05' });
    await expect(admin(`SELECT payload->'type' ${nul}`)).rejects.toMatchObject({ code: '22P05' });
    const [kind] = await admin<{ kind: string }>(`SELECT json_typeof(payload) AS kind ${nul}`);
    expect(kind).toEqual({ kind: 'object' });
  });
});

describe('payload', () => {
  it('refuses a toJSON that JSON.stringify would turn into undefined, with and without expect, and the stream goes on', async () => {
    const sneaky = Object.defineProperty({ a: 1 }, 'toJSON', { value: () => undefined });
    const results = await Promise.all([store.append('sneaky', sneaky), store.append('sneaky', sneaky), store.append('sneaky', sneaky, 0)]);
    for (const result of results) expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', argument: 'payload' } });
    expect(await Promise.all([store.append('sneaky', 1), store.append('sneaky', 2)])).toEqual([
      { ok: true, seq: 1 },
      { ok: true, seq: 2 },
    ]);
    expect(await storedSeqs(schema, 'sneaky')).toEqual([1, 2]);
  });

  it('refuses a payload past maxPayloadBytes with INVALID_ARGUMENT naming the limit, and one whose JSON could not be a string', async () => {
    const pool = newPool();
    const small = new PostgresEventStore(pool, { schema, maxPayloadBytes: 2 * 1024 * 1024 });
    try {
      const result = await small.append('large', 'x'.repeat(2 * 1024 * 1024));
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/at most 2097152 bytes/) },
      });
      const huge = await store.append('large', { huge: '\u0001'.repeat(1e8) });
      expect(huge).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/at most 16777216 bytes/) },
      });
      expect(await storedSeqs(schema, 'large')).toEqual([]);
    } finally {
      await small.close();
      await pool.end();
    }
  });
});
