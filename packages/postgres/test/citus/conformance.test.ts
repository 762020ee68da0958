import type { AnyEventStore } from '@hume/conformance';
import { describeEventStore } from '@hume/conformance/vitest';
import { PostgresEventStore } from '@hume/postgres';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { databaseUrl, migratedStore, newPool, schemaName, terminateSessions } from '../database.js';
import { TcpProxy } from '../fixtures/tcp-proxy.js';

// The kit on a Citus cluster, on tables distributed by stream (migrate() with citus: true). The
// store refuses the global feed on distributed tables (C13.11, proved in feed.test.ts), so the
// kit gets the store as it is there: every method but feed() (and feedLag()), which makes it skip
// the feed's cases (C13) and take the other cases' paths for a store without a feed.
const schema = schemaName('citus_conformance');
const pools = new WeakMap<AnyEventStore, { pool: pg.Pool; applicationName: string }>();
let storeCounter = 0;

beforeAll(async () => {
  await (await migratedStore(schema, { citus: true })).close();
});

/** Every method of `store` but the feed's, bound to it (its private fields need the store itself as `this`). */
function withoutFeed(store: PostgresEventStore): AnyEventStore {
  const methods = Object.getOwnPropertyNames(PostgresEventStore.prototype).filter(
    (name) => name !== 'constructor' && name !== 'feed' && name !== 'feedLag',
  );
  const target = store as unknown as Record<string, (...args: unknown[]) => unknown>;
  return Object.fromEntries(methods.map((name) => [name, target[name]?.bind(store)])) as unknown as AnyEventStore;
}

/** A store on a pool of its own, whose sessions carry a name of their own so they can be killed. */
function pooledStore(config: pg.PoolConfig = {}): AnyEventStore {
  const applicationName = `hume-citus-conformance-${process.pid}-${++storeCounter}`;
  const pool = newPool({ max: 12, application_name: applicationName, ...config });
  const store = withoutFeed(new PostgresEventStore(pool, { schema, citus: true }));
  pools.set(store, { pool, applicationName });
  return store;
}

async function disposeWithPool(store: AnyEventStore): Promise<void> {
  await store.close?.();
  const pool = pools.get(store)?.pool;
  if (pool && !pool.ended) await pool.end();
}

describeEventStore(
  '@hume/postgres on Citus',
  {
    create: () => pooledStore(),
    dispose: disposeWithPool,
    async fault(store) {
      await pools.get(store)?.pool.end();
    },
    // The coordinator ends the store's sessions, as a failover or an operator would.
    async interrupt(store) {
      const entry = pools.get(store);
      if (entry) await terminateSessions(entry.applicationName);
    },
    reopen: () => pooledStore(),
    share: () => ({
      module: new URL('../fixtures/open-store.mjs', import.meta.url).href,
      options: { url: databaseUrl, schema, citus: true },
    }),
  },
  {},
);

describeEventStore(
  '@hume/postgres on Citus owning its pool',
  () => withoutFeed(new PostgresEventStore(databaseUrl, { schema, citus: true })),
  {
    grep: /^C[12]\.[1-4]|^C8\.[13]/,
  },
);

describeEventStore(
  '@hume/postgres on Citus with 7-event pages',
  () => withoutFeed(new PostgresEventStore(databaseUrl, { schema, citus: true, readPageSize: 7 })),
  { grep: /^C4\./ },
);

// A fault after commit (C8.7) through a proxy in front of the coordinator.
let proxy: TcpProxy | undefined;
let armed = 0;
let struck = 0;
beforeAll(async () => {
  proxy = await TcpProxy.start(databaseUrl);
});
afterAll(async () => {
  await proxy?.close();
});
describeEventStore(
  '@hume/postgres on Citus through a proxy that drops the reply of a committed write',
  {
    create: () => pooledStore({ connectionString: proxy?.url }),
    async dispose(store) {
      await disposeWithPool(store);
      if (armed > struck) throw new Error(`${armed - struck} fault(s) after commit were armed but never struck`);
    },
    dropAfterCommit() {
      armed++;
      void proxy?.dropAfterNextWrite(/./).then(() => struck++);
    },
  },
  { grep: /^C8\.7-an-append-whose-reply/ },
);
