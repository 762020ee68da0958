import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyEventStore } from '@hume/conformance';
import { describeEventStore } from '@hume/conformance/vitest';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { tempDir } from './temp-dir.js';

const dir = tempDir('conformance');
const file = join(dir, 'events.db');
const openStore = fileURLToPath(new URL('./fixtures/open-store.mjs', import.meta.url));

// Every hook but interrupt: SQLite has no connection that can drop and come back (see README).
// Stores on a Database the test opens, so that the fault hook can close it under the store (C8.2);
// other instances and other processes open the same file by its path (C1.5, C4.6, C8.5).
const databases = new WeakMap<AnyEventStore, Database.Database>();
describeEventStore(
  '@hume/sqlite',
  {
    create() {
      const db = new Database(file);
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
    reopen: () => new SqliteEventStore(file),
    share: () => ({ module: openStore, options: { file } }),
    // SQLite serialises writers: a transaction held open would hold every other append back,
    // so an append "held open" is one that starts at commit, as any waiting writer would.
    hold: async (store, stream, payload) => ({
      commit: async () => {
        const result = await store.append(stream, payload as never);
        if (!result.ok) throw result.error;
        return result.seq;
      },
      rollback: async () => {},
    }),
  },
  { reportFile: 'conformance-report.json' },
);

// Stores that open the file themselves, and close it.
describeEventStore('@hume/sqlite on a file path', () => new SqliteEventStore(join(dir, 'path.db')));

describeEventStore('@hume/sqlite with 7-event pages', () => new SqliteEventStore(join(dir, 'pages.db'), { pageSize: 7 }), {
  grep: /^C(4|13)\./,
});
describeEventStore('@hume/sqlite in memory, durability normal', () => new SqliteEventStore(':memory:', { durability: 'normal' }));
