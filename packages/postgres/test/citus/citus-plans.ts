import pg from 'pg';
import { databaseUrl } from '../database.js';

/**
 * The plan of `text` as the store runs it: prepared, executed `times` with
 * `warmUp` first (PostgreSQL may switch a prepared statement to a generic
 * plan after five), then `EXPLAIN (VERBOSE)` of one more execution with
 * `args` (SQL literals).
 */
export async function planOf(text: string, args: readonly string[], warmUp: readonly string[] = args, times = 6): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`PREPARE hume_plan AS ${text}`);
    for (let i = 0; i < times; i++) await client.query(`EXECUTE hume_plan(${warmUp.join(', ')})`);
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (VERBOSE, COSTS OFF) EXECUTE hume_plan(${args.join(', ')})`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
  }
}

/** What makes a plan more than one hop: the reasons found in it, none for a single-shard router plan. */
export function extraHops(plan: string): string[] {
  const reasons: string[] = [];
  const tasks = [...plan.matchAll(/Task Count: (\d+)/g)].map((match) => Number(match[1]));
  if (tasks.length !== 1 || tasks[0] !== 1) reasons.push(`task counts ${JSON.stringify(tasks)}, not one task`);
  if (/pull to coordinator/i.test(plan)) reasons.push('pull to coordinator');
  if (/repartition/i.test(plan)) reasons.push('repartition');
  if (/Distributed Subplan/i.test(plan)) reasons.push('a distributed subplan');
  if (!/Custom Scan \(Citus Adaptive\)/.test(plan)) reasons.push('no Citus scan: the statement was not distributed at all');
  return reasons;
}

/** A notice a session of the coordinator sent, as `citus.log_remote_commands` and `client_min_messages = debug1` make it. */
export interface Notice {
  readonly severity: string;
  readonly message: string;
  readonly detail: string;
}

/**
 * A pool whose sessions report every command the coordinator sends to a
 * worker (`issuing …`) and every function call it pushes down, into
 * `notices`.
 */
export function tracedPool(notices: Notice[]): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 8,
    options: '-c client_min_messages=debug1 -c citus.log_remote_commands=on',
  });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('notice', (notice) => {
      notices.push({ severity: notice.severity ?? '', message: notice.message ?? '', detail: notice.detail ?? '' });
    });
  });
  return pool;
}

/** The commands the coordinator sent to workers (`issuing …`), in order. */
export function remoteCommands(notices: readonly Notice[]): string[] {
  return notices.filter((notice) => notice.message.startsWith('issuing ')).map((notice) => notice.message.slice('issuing '.length));
}

/** How many function calls the coordinator pushed down. */
export function pushedDown(notices: readonly Notice[]): number {
  return notices.filter((notice) => notice.message === 'pushing down the function call').length;
}
