// @hume/postgres on a 3-node loopback Citus cluster (a coordinator, two workers) against the same adapter on
// a single PostgreSQL 15 of the same binaries, interleaved on the real harness, and the coordinator→worker
// round trips each append costs. Needs root (the cluster runs as the OS user postgres; Citus is installed
// through the shared install.sh when missing). Durable defaults on every server (fsync, synchronous_commit on).
//   node --expose-gc dist/citus.js [appends per round] [rounds]
import { PostgresEventStore } from '@hume/postgres';
import pg from 'pg';
import { type CitusCluster, startCitusCluster } from '../../packages/postgres/scripts/citus-cluster.mjs';
import { type PostgresServer, startPostgres } from '../../packages/postgres/scripts/postgres-server.mjs';
import { humeAppends } from './hume-contenders.js';
import { freshStream, lanes, payload } from './lanes.js';
import { describeMachine } from './machine.js';
import { runScenario, type ScenarioResult } from './run-scenario.js';
import type { Contender, Scenario } from './scenario.js';

const ops = Number(process.argv[2] ?? 600);
const rounds = Number(process.argv[3] ?? 5);
const READ_LENGTH = 10_000;
const schema = 'hume_bench_citus';

const pools: pg.Pool[] = [];
function newPool(url: string, max: number, options?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 0, ...(options ? { options } : {}) });
  pool.on('error', () => undefined);
  pools.push(pool);
  return pool;
}

/** Awaited appends of `connections` lanes, each on a fresh stream, through a store on a pool of that size. */
function storeAppends(name: string, url: string, citus: boolean, connections: number): Contender {
  const store = new PostgresEventStore(newPool(url, connections), { schema, citus });
  return humeAppends(name, () => store, connections);
}

/** Raw pg sending the adapter's own pushed-down call, `SELECT <prefix>append(…)`, the same way. */
function rawCalls(name: string, url: string, connections: number): Contender {
  const pool = newPool(url, connections);
  const text = `SELECT "${schema}".hume_append($1::text, $2::integer[], $3::bigint[], $4::json[])`;
  return {
    name,
    async run(count) {
      await lanes(count, connections, async (_, mine) => {
        const stream = freshStream('raw-call');
        for (let i = 0; i < mine; i++)
          await pool.query({ name: 'bench-citus-call', text, values: [stream, [1], null, [JSON.stringify(payload)]] });
      });
    },
  };
}

/** Whole reads of a stream of READ_LENGTH events, one page of 1000 at a time. */
function storeReads(name: string, url: string, citus: boolean): Contender {
  const store = new PostgresEventStore(newPool(url, 2), { schema, citus });
  return {
    name,
    async run(count) {
      for (let read = 0; read < count / READ_LENGTH; read++) {
        let seen = 0;
        for await (const _ of store.events('long')) seen++;
        if (seen !== READ_LENGTH) throw new Error(`read ${seen} events of ${READ_LENGTH}`);
      }
    },
  };
}

/** Coordinator→worker commands per operation: `citus.log_remote_commands` on a session of its own. */
async function roundTrips(url: string): Promise<Record<string, number>> {
  const notices: string[] = [];
  const pool = newPool(url, 1, '-c citus.log_remote_commands=on');
  pool.on('connect', (client) => client.on('notice', (notice) => notices.push(notice.message ?? '')));
  const store = new PostgresEventStore(pool, { schema, citus: true });
  const count = async (work: (i: number) => Promise<unknown>, times: number): Promise<number> => {
    notices.length = 0;
    for (let i = 0; i < times; i++) await work(i);
    return notices.filter((message) => message.startsWith('issuing ')).length / times;
  };
  const stream = freshStream('trips');
  return {
    'append without expect': await count(() => store.append(`${stream}-a`, payload), 100),
    'append with expect': await count((i) => store.append(`${stream}-b`, payload, i), 100),
    'appendMany of 10': await count(() => store.appendMany(`${stream}-c`, Array(10).fill(payload)), 20),
    'read of 1000 events (one page)': await count(async () => {
      for await (const _ of store.events('long', READ_LENGTH - 1000));
    }, 20),
  };
}

async function fill(url: string, citus: boolean): Promise<void> {
  const admin = newPool(url, 1);
  await new PostgresEventStore(admin, { schema, citus }).migrate();
  const store = new PostgresEventStore(admin, { schema, citus });
  for (let seq = 0; seq < READ_LENGTH; seq += 1000) {
    const result = await store.appendMany('long', Array(1000).fill(payload), seq);
    if (!result.ok) throw result.error;
  }
}

function print(result: ScenarioResult): void {
  console.log(`${result.name} (${result.ops} ${result.unit}s per round)`);
  for (const contender of result.contenders) {
    const [low, high] = contender.middleHalf.map((value) => Math.round(value).toLocaleString('en-US'));
    console.log(
      `  ${contender.name.padEnd(48)} ${Math.round(contender.opsPerSecond).toLocaleString('en-US').padStart(8)} ${result.unit}/s (middle half ${low}–${high})`,
    );
  }
  for (const ratio of result.ratios)
    console.log(`  ratio ${ratio.numerator} / ${ratio.denominator} = ${ratio.ratio.toFixed(3)} (information)`);
  console.log('');
}

let cluster: CitusCluster | undefined;
let single: PostgresServer | undefined;
try {
  const machine = describeMachine();
  console.log(`Citus benchmark on Node ${machine.node}, ${machine.cores} × ${machine.cpu}; ${ops} appends per round, ${rounds} rounds`);
  cluster = await startCitusCluster();
  single = await startPostgres({ kind: 'system' });
  console.log(
    `Citus cluster at ${cluster.url} (workers ${cluster.workerPorts.join(', ')}); single PostgreSQL ${single.version} at ${single.url}\n`,
  );
  await fill(cluster.url, true);
  await fill(single.url, false);
  const onCitus = '@hume/postgres on Citus (coordinator + 2 workers)';
  const onSingle = '@hume/postgres on one PostgreSQL';
  const rawOnCitus = 'raw pg, the same pushed-down call, on Citus';
  const scenarios: Scenario[] = [1, 8].map((connections) => ({
    name: `append, ${connections === 1 ? 'one connection' : `${connections} connections, a stream each`}`,
    unit: 'append',
    ops,
    rounds,
    contenders: [
      storeAppends(onCitus, cluster!.url, true, connections),
      rawCalls(rawOnCitus, cluster!.url, connections),
      storeAppends(onSingle, single!.url, false, connections),
    ],
    targets: [
      { numerator: onCitus, denominator: onSingle },
      { numerator: onCitus, denominator: rawOnCitus },
    ],
  }));
  scenarios.push({
    name: `read of a stream of ${READ_LENGTH.toLocaleString('en-US')} events`,
    unit: 'event read',
    ops: READ_LENGTH * 2,
    rounds,
    contenders: [storeReads(onCitus, cluster.url, true), storeReads(onSingle, single.url, false)],
    targets: [{ numerator: onCitus, denominator: onSingle }],
  });
  for (const scenario of scenarios) print(await runScenario(scenario));
  console.log('coordinator→worker commands per operation (citus.log_remote_commands):');
  for (const [operation, trips] of Object.entries(await roundTrips(cluster.url))) console.log(`  ${operation.padEnd(32)} ${trips}`);
} finally {
  for (const pool of pools) await pool.end().catch(() => undefined);
  await single?.stop();
  await cluster?.stop();
}
