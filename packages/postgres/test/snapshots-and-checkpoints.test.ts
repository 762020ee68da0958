import { describe, expect, it } from 'vitest';
import { admin, migratedStore, schemaName } from './database.js';

describe('snapshots and checkpoints in PostgreSQL (schema version 3)', () => {
  it('are kept in tables of their own and seen by another store on the schema', async () => {
    const schema = schemaName('snapshots_kept');
    const store = await migratedStore(schema);
    const other = await migratedStore(schema);
    try {
      await store.saveSnapshot('account-1', 'balance', { version: 2, seq: 7, state: { balance: 3, note: 'a\u0000b' } });
      await store.saveCheckpoint('balances', '0000000000000007');
      expect(await admin(`SELECT stream, name, version::int, seq::int, state::text FROM "${schema}".hume_snapshots`)).toEqual([
        { stream: 'account-1', name: 'balance', version: 2, seq: 7, state: '{"balance":3,"note":"a\\u0000b"}' },
      ]);
      expect(await other.loadSnapshot('account-1', 'balance')).toEqual({ version: 2, seq: 7, state: { balance: 3, note: 'a\u0000b' } });
      expect(await other.loadCheckpoint('balances')).toBe('0000000000000007');
    } finally {
      await store.close();
      await other.close();
    }
  });

  it('a schema migrated to version 2 gets the tables from migrate(), events untouched', async () => {
    const schema = schemaName('snapshots_upgrade');
    const store = await migratedStore(schema);
    try {
      await store.append('a', { n: 1 });
      await admin(
        `DROP TABLE "${schema}".hume_snapshots; DROP TABLE "${schema}".hume_checkpoints; DELETE FROM "${schema}".hume_migrations WHERE version = 3`,
      );
      await expect(store.loadCheckpoint('c')).rejects.toMatchObject({
        code: 'BACKEND',
        message: expect.stringContaining('run migrate() first'),
      });
      expect(await store.migrate()).toEqual({ from: 2, to: 3 });
      await store.saveCheckpoint('c', 'p1');
      expect(await store.loadCheckpoint('c')).toBe('p1');
      expect((await store.append('a', { n: 2 })).ok && 'stored').toBe('stored');
    } finally {
      await store.close();
    }
  });

  it('calls after close reject with CLOSED', async () => {
    const store = await migratedStore(schemaName('snapshots_closed'));
    await store.close();
    await expect(store.saveSnapshot('a', 'p', { version: 1, seq: 1, state: 1 })).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(store.loadCheckpoint('c')).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
