// kit scope: outside the contract — placing the tables on Citus (option citus); the Citus suite (pnpm test:citus) runs the kit there
import type { PoolClient } from 'pg';
import type { ResolvedOptions } from './postgres-options.js';
import { rawTypes } from './raw-types.js';

/** How Citus holds a table: its distribution column and colocation group, or nothing for a table it does not distribute. */
interface Placement {
  readonly column: string | null;
  readonly colocation: string | null;
}

/**
 * Brings the tables' placement on Citus in line with the `citus` option,
 * after the schema steps of `migrate()`. With `citus: true` it distributes
 * the streams and events tables by `stream`, colocated, and the `append`
 * function by its first argument in the same colocation group, so that
 * Citus pushes a call down to the worker holding the stream. Tables that
 * hold events already are copied into their shards: this is how an existing
 * database moves to Citus. Each step is skipped when already done, so it
 * runs at every `migrate()`; the decision and the steps happen under a
 * table lock, so that processes migrating at once distribute once. It
 * refuses a database without the `citus` extension, and tables distributed
 * by another column, rather than run on a layout whose appends would span
 * shards. Without the option it refuses tables Citus already distributes:
 * appends there would take several hops (see the README).
 *
 * @example
 * ```ts
 * await distributeTables(client, resolveOptions({ citus: true }));
 * ```
 */
export async function distributeTables(client: PoolClient, options: ResolvedOptions): Promise<void> {
  if (!(await citusInstalled(client, options))) return;
  if (!options.citus) {
    const events = await placement(client, options.events);
    if (events.column !== null) {
      throw new Error(
        `${options.events} is distributed by Citus: open the store with { citus: true }, so that each append is one call pushed down to the worker holding its stream`,
      );
    }
    return;
  }
  if (await distributed(client, options)) return;
  await client.query('BEGIN');
  // Function commands of Citus need one connection per worker for the whole transaction.
  await client.query("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'");
  await client.query(`LOCK TABLE ${options.streams}, ${options.events} IN EXCLUSIVE MODE`);
  const streams = await placement(client, options.streams);
  if (streams.column === null) {
    await query(client, `SELECT create_distributed_table($1, 'stream')`, [options.streams]);
    await query(client, 'SELECT truncate_local_data_after_distributing_table($1)', [options.streams]);
  }
  const events = await placement(client, options.events);
  if (events.column === null) {
    await query(client, `SELECT create_distributed_table($1, 'stream', colocate_with => $2)`, [options.events, options.streams]);
    // The rows were copied into the shards; without this they would stay on the coordinator's disk, unseen.
    await query(client, 'SELECT truncate_local_data_after_distributing_table($1)', [options.events]);
  }
  const append = await functionPlacement(client, options.appendFunction);
  const colocation = (await placement(client, options.streams)).colocation;
  if (append.column !== '0' || append.colocation !== colocation) {
    // By name, whatever the argument list: the stream is the first argument in every version of the schema.
    await query(client, `SELECT create_distributed_function(to_regproc($1)::regprocedure, '$1', colocate_with := $2)`, [
      options.appendFunction,
      options.streams,
    ]);
  }
  await distributed(client, options, true);
  await client.query('COMMIT');
}

/**
 * Whether the database has the `citus` extension; throws when the option
 * asks for Citus and it is missing, before `migrate()` changes anything.
 *
 * @example
 * ```ts
 * await citusInstalled(client, resolveOptions({ citus: true })); // throws on plain PostgreSQL
 * ```
 */
export async function citusInstalled(client: PoolClient, options: ResolvedOptions): Promise<boolean> {
  const installed = await query(client, "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'citus'");
  if (installed.length === 0 && options.citus) {
    throw new Error(
      'the option citus is true, but the citus extension is not installed in this database: run CREATE EXTENSION citus on the coordinator and on every worker, and add the workers with citus_add_node()',
    );
  }
  return installed.length > 0;
}

/** Whether the layout is the one appends need; with `strict`, anything else throws, saying what is wrong. */
async function distributed(client: PoolClient, options: ResolvedOptions, strict = false): Promise<boolean> {
  const streams = await placement(client, options.streams);
  const events = await placement(client, options.events);
  const append = await functionPlacement(client, options.appendFunction);
  for (const [table, { column }] of [
    [options.streams, streams],
    [options.events, events],
  ] as const) {
    if (column !== null && column !== 'stream') {
      throw new Error(`${table} is distributed by ${column}, not by stream: every append would span shards; distribute it by stream`);
    }
  }
  const problem =
    streams.column === null || events.column === null
      ? 'the tables are not distributed'
      : events.colocation !== streams.colocation
        ? `${options.events} and ${options.streams} are not colocated`
        : append.column !== '0' || append.colocation !== streams.colocation
          ? `${options.appendFunction} is not distributed by its stream argument, colocated with the tables`
          : undefined;
  if (problem !== undefined && strict) throw new Error(`distributing on Citus left the layout wrong: ${problem}`);
  return problem === undefined;
}

async function placement(client: PoolClient, table: string): Promise<Placement> {
  const rows = await query(
    client,
    'SELECT column_to_column_name(logicalrelid, partkey), colocationid::text FROM pg_catalog.pg_dist_partition WHERE logicalrelid = to_regclass($1)',
    [table],
  );
  return { column: rows[0]?.[0] ?? null, colocation: rows[0]?.[1] ?? null };
}

/** The function's distribution argument (its index, `'0'` for the first) and colocation group. */
async function functionPlacement(client: PoolClient, name: string): Promise<Placement> {
  const rows = await query(
    client,
    "SELECT distribution_argument_index::text, colocationid::text FROM pg_catalog.pg_dist_object WHERE classid = 'pg_catalog.pg_proc'::regclass AND objid = to_regproc($1)",
    [name],
  );
  return { column: rows[0]?.[0] ?? null, colocation: rows[0]?.[1] ?? null };
}

async function query(client: PoolClient, text: string, values: unknown[] = []): Promise<(string | null)[][]> {
  return (await client.query<(string | null)[]>({ text, values, rowMode: 'array', types: rawTypes })).rows;
}
