import { join } from 'node:path';
import type { AnyEventStore } from '@hume/conformance';
import { describeEventStore } from '@hume/conformance/vitest';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { tempDir } from './temp-dir.js';

const dir = tempDir('conformance');

// Stores on a path: the store opens the file and closes it.
describeEventStore('@hume/sqlite on a file path', () => new SqliteEventStore(join(dir, 'path.db')));

// Stores on a Database the test opens, so that the fault hook can close it under the store (C8.2).
const databases = new WeakMap<AnyEventStore, Database.Database>();
describeEventStore('@hume/sqlite on an open Database', {
  create() {
    const db = new Database(join(dir, 'handle.db'));
    const store = new SqliteEventStore(db);
    databases.set(store, db);
    return store;
  },
  fault(store) {
    databases.get(store)?.close();
  },
  async dispose(store) {
    await store.close?.();
    databases.get(store)?.close();
  },
});

describeEventStore('@hume/sqlite with 7-event pages', () => new SqliteEventStore(join(dir, 'pages.db'), { pageSize: 7 }), {
  grep: /^C4\./,
});
describeEventStore('@hume/sqlite in memory, durability normal', () => new SqliteEventStore(':memory:', { durability: 'normal' }));
