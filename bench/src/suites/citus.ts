import { PostgresEventStore } from '@hume/postgres';
import pg from 'pg';
import { type CitusCluster, startCitusCluster } from '../../../packages/postgres/scripts/citus-cluster.mjs';
import { type PostgresServer, startPostgres } from '../../../packages/postgres/scripts/postgres-server.mjs';
import { humeAppends } from '../hume-contenders.js';
import { freshStream, lanes, payload } from '../lanes.js';
import type { Contender, Notes, Scenario, Suite } from '../scenario.js';

const schema = 'hume_bench_citus';
const ON_CITUS = '@hume/postgres on Citus (coordinator + 2 workers)';
const ON_SINGLE = '@hume/postgres on one PostgreSQL';
const RAW_ON_CITUS = 'raw pg, the same pushed-down call, on Citus';

let cluster: CitusCluster | undefined;
let single: PostgresServer | undefined;
const pools: pg.Pool[] = [];

function newPool(url: string, max: number, options?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 0, ...(options ? { options } : {}) });
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
}

/** Awaited appends of `connections` lanes, each on a fresh stream, through one store on a pool of that size. */
function storeAppends(name: string, url: string, citus: boolean, connections: number): Contender {
  const store = new PostgresEventStore(newPool(url, connections), { schema, citus });
  return humeAppends(name, () => store, connections);
}

/** Raw pg sending the adapter's own call, `SELECT <prefix>append(…)`, the same way. */
function rawCalls(url: string, connections: number): Contender {
  const pool = newPool(url, connections);
  const text = `SELECT "${schema}".hume_append($1::text, $2::integer[], $3::bigint[], $4::json[])`;
  return {
    name: RAW_ON_CITUS,
    async run(ops) {
      await lanes(ops, connections, async (_, count) => {
        const stream = freshStream('raw-call');
        for (let i = 0; i < count; i++) {
          await pool.query({ name: 'bench-citus-call', text, values: [stream, [1], null, [JSON.stringify(payload)]] });
        }
      });
    },
  };
}

/** Whole reads of the stream `long` (`length` events, pages of 1000), `ops / length` of them per round. */
function storeReads(name: string, url: string, citus: boolean, length: number): Contender {
  const store = new PostgresEventStore(newPool(url, 2), { schema, citus });
  return {
    name,
    async run(ops) {
      for (let read = 0; read < Math.max(1, ops / length); read++) {
        let seen = 0;
        for await (const _ of store.events('long')) seen++;
        if (seen !== length) throw new Error(`read ${seen} events of ${length}`);
      }
    },
  };
}

/** Coordinator→worker commands per operation, counted from `citus.log_remote_commands` on a session of its own. */
async function roundTrips(url: string, length: number): Promise<Notes> {
  const notices: string[] = [];
  const pool = newPool(url, 1, '-c citus.log_remote_commands=on');
  pool.on('connect', (client) => client.on('notice', (notice) => notices.push(notice.message ?? '')));
  const store = new PostgresEventStore(pool, { schema, citus: true });
  const count = async (times: number, work: (i: number) => Promise<unknown>): Promise<number> => {
    notices.length = 0;
    for (let i = 0; i < times; i++) await work(i);
    return notices.filter((message) => message.startsWith('issuing ')).length / times;
  };
  const stream = freshStream('trips');
  const page = Math.min(1000, length);
  return {
    'worker round trips per append': await count(100, () => store.append(`${stream}-a`, payload)),
    'per append with expect': await count(100, (i) => store.append(`${stream}-b`, payload, i)),
    'per appendMany of 10': await count(20, () => store.appendMany(`${stream}-c`, Array(10).fill(payload))),
    // A read of the last `page` events queries twice: the full page, then the empty page after it that ends the read.
    [`per read of the last ${page} events (2 page queries)`]: await count(20, async () => {
      for await (const _ of store.events('long', length - page));
    }),
  };
}

/** Migrates and fills the stream `long` through the store itself. */
async function fill(url: string, citus: boolean, length: number): Promise<void> {
  const store = new PostgresEventStore(newPool(url, 1), { schema, citus });
  await store.migrate();
  for (let seq = 0; seq < length; seq += 1000) {
    const result = await store.appendMany('long', Array(Math.min(1000, length - seq)).fill(payload), seq);
    if (!result.ok) throw result.error;
  }
}

/**
 * @hume/postgres on a 3-node loopback Citus cluster (the shared cluster.sh; Citus installed through the
 * shared install.sh when missing; needs root) against the same adapter on one PostgreSQL 15 of the same
 * binaries, interleaved, durable defaults everywhere: appends on one connection and on eight, whole reads,
 * and the coordinator→worker round trips each costs. Loopback adds hops, not capacity: the ratios are
 * information. `pnpm bench --only citus`.
 */
const suite: Suite = {
  name: 'citus',
  optIn: true,
  async scenarios({ smoke }) {
    const length = smoke ? 2_000 : 10_000;
    cluster = await startCitusCluster();
    single = await startPostgres({ kind: 'system' });
    await fill(cluster.url, true, length);
    await fill(single.url, false, length);
    const trips = await roundTrips(cluster.url, length);
    const servers: Notes = {
      citus: `coordinator ${cluster.url}, workers on ${cluster.workerPorts.join(', ')} (Citus 13.2.2, PostgreSQL 15)`,
      single: `PostgreSQL ${single.version} (system binaries, same settings)`,
    };
    const appends = (connections: number): Scenario => ({
      name: `Citus: append, ${connections === 1 ? 'one connection' : `${connections} connections, a stream each`}`,
      unit: 'append',
      ops: smoke ? 40 : 1_200,
      rounds: smoke ? 1 : 5,
      contenders: [
        storeAppends(ON_CITUS, cluster!.url, true, connections),
        rawCalls(cluster!.url, connections),
        storeAppends(ON_SINGLE, single!.url, false, connections),
      ],
      targets: [
        { numerator: ON_CITUS, denominator: ON_SINGLE },
        { numerator: ON_CITUS, denominator: RAW_ON_CITUS },
      ],
      notes: () => ({ ...servers, ...trips }),
    });
    return [
      appends(1),
      appends(8),
      {
        name: `Citus: read of a stream of ${length.toLocaleString('en-US')} events`,
        unit: 'event read',
        ops: length * 2,
        rounds: smoke ? 1 : 5,
        contenders: [storeReads(ON_CITUS, cluster.url, true, length), storeReads(ON_SINGLE, single.url, false, length)],
        targets: [{ numerator: ON_CITUS, denominator: ON_SINGLE }],
      },
    ];
  },
  async close() {
    for (const pool of pools.splice(0)) await pool.end().catch(() => undefined);
    await single?.stop();
    await cluster?.stop();
  },
};

export default suite;
