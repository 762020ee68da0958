import { capabilityTablesStatements } from './postgres-capability-tables.js';
import { quoteIdentifier } from './postgres-identifier.js';
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
 * Version 2 indexes stream names for `streams()`; see its step. Version 3
 * adds the snapshot and checkpoint tables (see {@link capabilityTablesStatements}).
 *
 * Version 1: `streams` holds one counter row per stream (its last seq), which
 * appends move; `events` holds the events, primary key `(stream, seq)`,
 * which is both the keyset index of reads and the backstop against a
 * duplicate seq. Both tables lead with `stream`, the column Citus
 * distributes and colocates them on. `payload` is `json`, not `jsonb`:
 * `jsonb` refuses `\u0000` in strings, which the contract must store.
 * `payload_bytes` is the payload's size as text, computed on insert (by
 * any writer): reads bound their pages by bytes from it without reading
 * the payloads (for `json`, `octet_length(payload::text)` converts, and so
 * detoasts, the whole value).
 *
 * Each event also records a transaction id (`tx`, an `xid8`) and a global
 * `position` from a sequence, indexed together: the order of a feed over all
 * streams that cannot skip (read `(tx, position)` only below
 * `pg_snapshot_xmin(pg_current_snapshot())`, where every transaction has
 * ended). `tx` is the greater of the writer's own xid and the stream's
 * previous `tx`, kept on its counter row: a transaction takes its xid when
 * it first writes, before it waits for the counter row's lock, so a writer
 * that waited could hold an older xid than the one it waited for, and its
 * later seqs would sort before the earlier ones. Never below the writer's
 * own xid, so `tx < xmin` still means the writer has ended. A second index,
 * `(stream COLLATE "C", tx, position)`, keeps the feed of a rare stream-name
 * prefix (a category) from scanning the whole feed.
 *
 * Appends go through two PL/pgSQL functions (see {@link appendFunctionSql}):
 * `append(stream, …)` for one stream, the shape Citus pushes down to the
 * worker holding the stream when distributed by its first argument, and
 * `append_all(streams, …)` for a group commit over several streams.
 *
 * @example
 * ```ts
 * const latest = migrations.at(-1)?.version; // 3
 * ```
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    // Stryker disable next-line StringLiteral: a migration's description, recorded in the migrations table for people to read
    description: 'streams counter table, events table with the feed order, append functions',
    statements: (options) => [
      `CREATE TABLE IF NOT EXISTS ${options.streams} (
        stream text NOT NULL PRIMARY KEY,
        seq bigint NOT NULL CHECK (seq BETWEEN 1 AND ${MAX_SEQ_SQL}),
        tx xid8 NOT NULL DEFAULT pg_current_xact_id()
      ) WITH (fillfactor = ${COUNTER_FILLFACTOR})`,
      `CREATE TABLE IF NOT EXISTS ${options.events} (
        stream text NOT NULL,
        seq bigint NOT NULL CHECK (seq BETWEEN 1 AND ${MAX_SEQ_SQL}),
        payload json NOT NULL,
        payload_bytes integer NOT NULL GENERATED ALWAYS AS (octet_length(payload::text)) STORED,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        position bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (stream, seq)
      )`,
      // Stryker disable next-line StringLiteral: performance only: the feed's index; without it a feed page scans the table (the adapter's own tests assert the plan with EXPLAIN)
      `CREATE INDEX IF NOT EXISTS ${options.feedIndex} ON ${options.events} (tx, position)`,
      // A prefix feed (a category) reads a range of it when the prefix is rare; see postgres-feed-sql.ts.
      // Stryker disable next-line StringLiteral: performance only: the prefix feed's index; without it a prefix page scans the table (the adapter's own tests assert the plan with EXPLAIN)
      `CREATE INDEX IF NOT EXISTS ${options.feedStreamIndex} ON ${options.events} (stream COLLATE "C", tx, position)`,
      appendFunctionSql(options),
      appendAllFunctionSql(options),
    ],
  },
  // Stryker disable next-line ObjectLiteral: performance only: migration 2 adds the stream listing's index alone
  {
    version: 2,
    // Stryker disable next-line StringLiteral: a migration's description, recorded in the migrations table for people to read
    description: 'index of stream names in code-point order, for streams()',
    // The listing orders names under the "C" collation (UTF-8 byte order, the contract's
    // code-point order); the primary key's index has the database's collation, which the
    // planner does not use for it even on a "C" database, so a page would sort every stream.
    // A new stream costs one more index entry; counter updates stay HOT (the name never changes).
    // Stryker disable next-line ArrayDeclaration: performance only: the stream listing's index; without it a page of streams() sorts every stream
    statements: ({ streams, tablePrefix }) => [
      // Stryker disable next-line StringLiteral: performance only: the stream listing's index (and the option named in an error message)
      `CREATE INDEX IF NOT EXISTS ${quoteIdentifier('tablePrefix', `${tablePrefix}streams_c`)} ON ${streams} (stream COLLATE "C")`,
    ],
  },
  {
    version: 3,
    // Stryker disable next-line StringLiteral: a migration's description, recorded in the migrations table for people to read
    description: 'snapshot and checkpoint tables (optional capabilities C14, C15)',
    statements: capabilityTablesStatements,
  },
];

/**
 * `append(p_stream, p_counts, p_expects, p_payloads)`: stores units of
 * events on one stream, in array order, each all or none. Unit `i` holds
 * the next `p_counts[i]` payloads and, when `p_expects[i]` is not NULL,
 * is stored only if the stream's last seq (after the units before it) is
 * that value. Returns one number per unit: its last seq, or `-1 - actual`
 * when its expect did not match (`actual` being the last seq it met).
 *
 * Without any expect, one `INSERT … ON CONFLICT DO UPDATE` moves the
 * counter by the number of payloads and returns where it ends: one write
 * of the counter row, as in 1.0's single statement. One unit with an
 * expect tries the one statement that stores only at that seq (`UPDATE …
 * WHERE seq = expect`, or `INSERT … ON CONFLICT DO NOTHING` for 0). Else,
 * or when that stored nothing, the counter row is locked (`FOR UPDATE`),
 * the units are judged in order against the running last seq, and the
 * counter is written once. A stream created by another transaction
 * between that `SELECT` and the `INSERT` of its counter row makes the loop
 * judge again against that row, so no expect is judged against a stale
 * count. A single event is inserted with `VALUES`, more with `unnest`:
 * the cheaper plan for the commonest append. Every counter write sets the
 * row's `tx` to `greatest(tx, pg_current_xact_id())`, the `tx` its events
 * are stored with (see {@link migrations}).
 */
function appendFunctionSql({ appendFunction, streams, events }: ResolvedOptions): string {
  return `CREATE OR REPLACE FUNCTION ${appendFunction}(p_stream text, p_counts integer[], p_expects bigint[], p_payloads json[])
  RETURNS bigint[] LANGUAGE plpgsql AS $fn$
DECLARE
  v_total bigint := cardinality(p_payloads);
  v_last bigint;
  v_running bigint;
  v_known boolean;
  v_tx xid8;
  v_results bigint[] := '{}';
BEGIN
  IF p_expects IS NULL OR cardinality(array_remove(p_expects, NULL)) = 0 THEN
    INSERT INTO ${streams} AS s (stream, seq, tx) VALUES (p_stream, v_total, pg_current_xact_id())
      ON CONFLICT (stream) DO UPDATE SET seq = s.seq + v_total, tx = greatest(s.tx, excluded.tx)
      RETURNING s.seq, s.tx INTO v_running, v_tx;
    v_last := v_running - v_total;
    IF cardinality(p_counts) = 1 THEN
      v_results[1] := v_running;
    ELSE
      v_running := v_last;
      FOR i IN 1 .. cardinality(p_counts) LOOP
        v_running := v_running + p_counts[i];
        v_results[i] := v_running;
      END LOOP;
    END IF;
  ELSE
    -- One unit with an expect: one statement that stores only at the expected seq. When it
    -- stores nothing, the general path below judges again under the row lock, which reports
    -- the actual last seq (and stores after all if the stream reached the expect meanwhile).
    IF cardinality(p_counts) = 1 THEN
      IF p_expects[1] = 0 THEN
        INSERT INTO ${streams} AS s (stream, seq, tx) VALUES (p_stream, v_total, pg_current_xact_id())
          ON CONFLICT (stream) DO NOTHING RETURNING s.tx INTO v_tx;
      ELSE
        UPDATE ${streams} AS s SET seq = s.seq + v_total, tx = greatest(s.tx, pg_current_xact_id())
          WHERE s.stream = p_stream AND s.seq = p_expects[1] RETURNING s.tx INTO v_tx;
      END IF;
      IF FOUND THEN
        v_last := p_expects[1];
        v_running := v_last + v_total;
        v_results[1] := v_running;
      END IF;
    END IF;
    WHILE v_running IS NULL LOOP
      SELECT s.seq INTO v_last FROM ${streams} AS s WHERE s.stream = p_stream FOR UPDATE;
      v_known := FOUND;
      v_last := coalesce(v_last, 0);
      v_running := v_last;
      FOR i IN 1 .. cardinality(p_counts) LOOP
        IF p_expects[i] IS NULL OR p_expects[i] = v_running THEN
          v_running := v_running + p_counts[i];
          v_results[i] := v_running;
        ELSE
          v_results[i] := -1 - v_running;
        END IF;
      END LOOP;
      IF v_running = v_last THEN
        EXIT;
      ELSIF v_known THEN
        UPDATE ${streams} AS s SET seq = v_running, tx = greatest(s.tx, pg_current_xact_id())
          WHERE s.stream = p_stream RETURNING s.tx INTO v_tx;
      ELSE
        INSERT INTO ${streams} AS s (stream, seq, tx) VALUES (p_stream, v_running, pg_current_xact_id())
          ON CONFLICT (stream) DO NOTHING RETURNING s.tx INTO v_tx;
        -- Another transaction created the stream since the SELECT: judge again against its row.
        IF NOT FOUND THEN
          v_running := NULL;
        END IF;
      END IF;
    END LOOP;
  END IF;
  -- Positions are taken in seq order (ORDER BY), the order of the feed within one tx.
  IF v_total = 1 AND v_running > v_last THEN
    INSERT INTO ${events} (stream, seq, payload, tx) VALUES (p_stream, v_running, p_payloads[1], v_tx);
  ELSIF v_running = v_last + v_total THEN
    INSERT INTO ${events} (stream, seq, payload, tx)
      SELECT p_stream, v_last + p.n, p.payload, v_tx FROM unnest(p_payloads) WITH ORDINALITY AS p(payload, n) ORDER BY p.n;
  ELSIF v_running > v_last THEN
    INSERT INTO ${events} (stream, seq, payload, tx)
      SELECT p_stream, u.result - u.size + k, p_payloads[u.before + k], v_tx
      FROM (
        SELECT r.size, r.result, (sum(r.size) OVER (ORDER BY r.i) - r.size)::integer AS before
        FROM unnest(p_counts, v_results) WITH ORDINALITY AS r(size, result, i)
      ) AS u, generate_series(1, u.size) AS k
      WHERE u.result > 0
      ORDER BY 2;
  END IF;
  RETURN v_results;
END
$fn$`;
}

/**
 * `append_all(p_streams, p_counts, p_expects, p_payloads)`: a group
 * commit, one statement for units on several streams. `p_streams` names
 * each unit's stream; a stream's units are consecutive and in their order
 * of arrival, and the streams come in the order their counter rows are
 * locked: the caller sorts them, so that two group commits never wait for
 * each other in a cycle. Each stream's run goes to `append`; the results
 * come back in unit order.
 */
function appendAllFunctionSql({ appendAllFunction, appendFunction }: ResolvedOptions): string {
  return `CREATE OR REPLACE FUNCTION ${appendAllFunction}(p_streams text[], p_counts integer[], p_expects bigint[], p_payloads json[])
  RETURNS bigint[] LANGUAGE plpgsql AS $fn$
DECLARE
  v_units integer := cardinality(p_streams);
  v_first_unit integer := 1;
  v_first_payload integer := 1;
  v_payloads integer := 0;
  v_results bigint[] := '{}';
BEGIN
  FOR i IN 1 .. v_units LOOP
    v_payloads := v_payloads + p_counts[i];
    IF i = v_units OR p_streams[i + 1] IS DISTINCT FROM p_streams[i] THEN
      v_results := v_results || ${appendFunction}(
        p_streams[i],
        p_counts[v_first_unit:i],
        p_expects[v_first_unit:i],
        p_payloads[v_first_payload:v_first_payload + v_payloads - 1]);
      v_first_unit := i + 1;
      v_first_payload := v_first_payload + v_payloads;
      v_payloads := 0;
    END IF;
  END LOOP;
  RETURN v_results;
END
$fn$`;
}

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
// Stryker disable next-line LogicalOperator,OptionalChaining,UnaryOperator: the version migrate() reports and checks, an API of this adapter's own (run-migrations.ts is outside the kit's scope)
export const SCHEMA_VERSION: number = migrations.at(-1)?.version ?? 0;
