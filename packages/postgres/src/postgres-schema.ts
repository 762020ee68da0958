import type { ResolvedOptions } from './postgres-options.js';

/** The largest seq the schema accepts: beyond it a JS number could no longer tell two seqs apart. */
export const MAX_SEQ_SQL = '9007199254740991';

/**
 * Every append rewrites its stream's counter row. Pages kept half empty
 * leave room to write the new row version on the same page as the old one
 * (a HOT update, which adds no primary-key entry) even where many streams'
 * rows share a page: in the benchmark's harness appends ran about 6% faster
 * than at the default 100, for twice the table's size. CockroachDB accepts
 * the option and ignores it; Citus applies it to the shards.
 */
const COUNTER_FILLFACTOR = 50;

/** One step of the schema; steps run in `version` order, each at most once. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  /** Statements run in order, inside the migration's transaction. */
  statements(options: ResolvedOptions): readonly string[];
}

/**
 * Every version of the schema. Append a new step to change it; never edit
 * one that was released, since databases out there recorded it as done.
 *
 * Version 1: `streams` holds one counter row per stream (its last seq), which
 * appends move; `events` holds the events, primary key `(stream, seq)`,
 * which is both the keyset index of reads and the backstop against a
 * duplicate seq. Both tables lead with `stream`, the column Citus
 * distributes and colocates them on. `payload` is `json`, not `jsonb`:
 * `jsonb` refuses `\u0000` in strings, which the contract must store.
 *
 * @example
 * ```ts
 * const latest = migrations.at(-1)?.version; // 1
 * ```
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'streams counter table and events table',
    statements: ({ streams, events }) => [
      `CREATE TABLE IF NOT EXISTS ${streams} (
        stream text NOT NULL PRIMARY KEY,
        seq bigint NOT NULL CHECK (seq BETWEEN 1 AND ${MAX_SEQ_SQL})
      ) WITH (fillfactor = ${COUNTER_FILLFACTOR})`,
      `CREATE TABLE IF NOT EXISTS ${events} (
        stream text NOT NULL,
        seq bigint NOT NULL CHECK (seq BETWEEN 1 AND ${MAX_SEQ_SQL}),
        payload json NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream, seq)
      )`,
    ],
  },
];

/**
 * The schema version this release of `@hume/postgres` writes and reads;
 * `migrate()` brings a database to it.
 *
 * @example
 * ```ts
 * const { to } = await store.migrate();
 * console.assert(to === SCHEMA_VERSION);
 * ```
 */
export const SCHEMA_VERSION: number = migrations.at(-1)?.version ?? 0;
