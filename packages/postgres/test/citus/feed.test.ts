import { describe, expect, it } from 'vitest';
import { migratedStore, schemaName } from '../database.js';

// Transactions on several workers have no common horizon below which no event can still commit:
// on distributed tables the store refuses the feed rather than risk skipping (C13.11).
describe('the global feed on Citus', () => {
  it('refuses on distributed tables: the first next() rejects with BACKEND saying why, live or not, and appends and reads go on', async () => {
    const store = await migratedStore(schemaName('citus_feed'), { citus: true });
    try {
      expect(await store.append('cart-1', { type: 'opened' })).toEqual({ ok: true, seq: 1 });
      const refusal = { code: 'BACKEND', message: expect.stringMatching(/distributed by Citus.*could skip events/) };
      await expect(store.feed().next()).rejects.toMatchObject(refusal);
      const stop = new AbortController();
      await expect(store.feed(undefined, { live: true, signal: stop.signal, prefix: 'cart-' }).next()).rejects.toMatchObject(refusal);
      stop.abort();
      const seqs: number[] = [];
      for await (const event of store.events('cart-1')) seqs.push(event.seq);
      expect(seqs).toEqual([1]);
      expect(await store.append('cart-1', { type: 'closed' }, 1)).toEqual({ ok: true, seq: 2 });
    } finally {
      await store.close();
    }
  });
});
