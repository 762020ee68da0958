import type { Json } from '@hume/core';
import { describe, expect, it } from 'vitest';
import { admin, range, storedSeqs, storeForFile } from './database.js';

const { schema, store } = storeForFile('batching', { max: 4 });

async function read(stream: string): Promise<unknown[]> {
  const payloads = [];
  for await (const event of store.events(stream)) payloads.push(event.payload);
  return payloads;
}

describe('appends in flight together on one stream (one group commit)', () => {
  it('keep their order of arrival and every payload exactly, quotes, backslashes and U+0000 included', async () => {
    const payloads: Json[] = [
      'first',
      { quote: '"', backslash: '\\', nul: '\u0000', brace: '{}', comma: ',' },
      ['a"b', 'c\\d', null, 1.5e300, -0.000001],
      '\u0000"\\{,}',
      { big: 'x'.repeat(300_000) },
      { big: 'y'.repeat(900_000) },
      0,
    ];
    const results = await Promise.all(payloads.map((payload) => store.append('mixed', payload)));
    expect(results).toEqual(payloads.map((_, index) => ({ ok: true, seq: index + 1 })));
    expect(await read('mixed')).toEqual(JSON.parse(JSON.stringify(payloads)));
  });

  it('succeed or fail together: a batch that passes the last safe seq stores none of its events', async () => {
    await admin(`INSERT INTO "${schema}".hume_streams VALUES ('edge', $1)`, [String(Number.MAX_SAFE_INTEGER - 3)]);
    const outcomes = await Promise.allSettled(range(1, 4).map((i) => store.append('edge', { i })));
    // The first goes alone and takes MAX - 2; the next three share a statement that would end past MAX.
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: { ok: true, seq: Number.MAX_SAFE_INTEGER - 2 } });
    for (const outcome of outcomes.slice(1)) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'BACKEND' } });
    expect(await storedSeqs(schema, 'edge')).toEqual([Number.MAX_SAFE_INTEGER - 2]);
    expect(await store.append('edge', 'fits')).toEqual({ ok: true, seq: Number.MAX_SAFE_INTEGER - 1 });
  });

  it('are judged in their order of arrival together with appends that give expect', async () => {
    await store.append('with-expect', 0);
    const results = await Promise.all([
      store.append('with-expect', 'a'), // alone: seq 2
      store.append('with-expect', 'b', 1), // in the next statement, against 2: conflict
      store.append('with-expect', 'c'), // 3
      store.append('with-expect', 'd', 3), // 4
    ]);
    expect(results).toEqual([
      { ok: true, seq: 2 },
      { ok: false, error: expect.objectContaining({ code: 'UNEXPECTED_SEQ', expected: 1, actual: 2 }) },
      { ok: true, seq: 3 },
      { ok: true, seq: 4 },
    ]);
    expect(await read('with-expect')).toEqual([0, 'a', 'c', 'd']);
  });
});
