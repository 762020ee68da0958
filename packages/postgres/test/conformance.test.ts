import type { AnyEventStore } from '@hume/conformance';
import { describeEventStore } from '@hume/conformance/vitest';
import { PostgresEventStore } from '@hume/postgres';
import type pg from 'pg';
import { beforeAll } from 'vitest';
import { databaseUrl, migratedStore, newPool, schemaName } from './database.js';

const schema = schemaName('conformance');
const pools = new WeakMap<AnyEventStore, pg.Pool>();

beforeAll(async () => {
  await (await migratedStore(schema)).close();
});

describeEventStore('@hume/postgres', {
  create() {
    const pool = newPool({ max: 12 });
    const store = new PostgresEventStore(pool, { schema });
    pools.set(store, pool);
    return store;
  },
  async dispose(store) {
    await store.close?.();
    const pool = pools.get(store);
    if (pool && !pool.ended) await pool.end();
  },
  // The pool is ended under the store: every later query fails in the driver.
  async fault(store) {
    await pools.get(store)?.end();
  },
});

describeEventStore('@hume/postgres owning its pool', () => new PostgresEventStore(databaseUrl, { schema }), { grep: /^C[12]\.|^C8\.[13]/ });

describeEventStore('@hume/postgres with 7-event pages', () => new PostgresEventStore(databaseUrl, { schema, readPageSize: 7 }), {
  grep: /^C4\./,
});
