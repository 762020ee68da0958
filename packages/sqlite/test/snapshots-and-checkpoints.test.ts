import { join } from 'node:path';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from './temp-dir.js';

const dir = tempDir('snapshots');

describe('snapshots and checkpoints in a SQLite file', () => {
  it('are kept in tables of their own, under the table prefix, across a reopen', async () => {
    const file = join(dir, 'kept.db');
    const store = new SqliteEventStore(file, { tablePrefix: 'shop_' });
    await store.saveSnapshot('account-1', 'balance', { version: 2, seq: 7, state: { balance: 3 } });
    await store.saveCheckpoint('balances', '0000000000000007');
    await store.close();
    const db = new Database(file);
    expect(db.prepare('SELECT stream, name, version, seq, state FROM shop_snapshots').all()).toEqual([
      { stream: 'account-1', name: 'balance', version: 2, seq: 7, state: '{"balance":3}' },
    ]);
    expect(db.prepare('SELECT name, position FROM shop_checkpoints').all()).toEqual([{ name: 'balances', position: '0000000000000007' }]);
    db.close();
    const reopened = new SqliteEventStore(file, { tablePrefix: 'shop_' });
    expect(await reopened.loadSnapshot('account-1', 'balance')).toEqual({ version: 2, seq: 7, state: { balance: 3 } });
    expect(await reopened.loadCheckpoint('balances')).toBe('0000000000000007');
    await reopened.close();
  });

  it('a damaged snapshot row rejects with BACKEND, never loads as a snapshot', async () => {
    const file = join(dir, 'damaged.db');
    const store = new SqliteEventStore(file);
    await store.saveSnapshot('account-1', 'balance', { version: 1, seq: 7, state: { balance: 3 } });
    const db = new Database(file);
    db.prepare(`UPDATE hume_snapshots SET state = '{"balance":' WHERE stream = 'account-1'`).run();
    db.close();
    await expect(store.loadSnapshot('account-1', 'balance')).rejects.toMatchObject({ code: 'BACKEND', cause: expect.any(SyntaxError) });
    await store.close();
  });

  it('a file made before the tables existed gets them when a store opens it, events untouched', async () => {
    const file = join(dir, 'older.db');
    const store = new SqliteEventStore(file);
    await store.append('a', { n: 1 });
    await store.close();
    const db = new Database(file);
    db.exec('DROP TABLE hume_snapshots; DROP TABLE hume_checkpoints');
    db.close();
    const reopened = new SqliteEventStore(file);
    expect(await reopened.loadSnapshot('a', 'p')).toBeUndefined();
    await reopened.saveCheckpoint('c', 'p1');
    expect(await reopened.loadCheckpoint('c')).toBe('p1');
    expect((await reopened.append('a', { n: 2 })).ok).toBe(true);
    await reopened.close();
  });

  it('calls after close reject with CLOSED', async () => {
    const store = new SqliteEventStore(join(dir, 'closed.db'));
    await store.close();
    await expect(store.saveSnapshot('a', 'p', { version: 1, seq: 1, state: 1 })).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(store.loadCheckpoint('c')).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
