import { createHash } from 'node:crypto';
import { payloadColumnsWithin } from './payload-columns-within.js';
import type { ResolvedOptions } from './postgres-options.js';

/** One SQL statement, prepared once per connection under a name derived from its text. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** The statements a store runs, for its schema and table names. */
export interface Statements {
  /**
   * `$1` stream, `$2` payload (`json`): one event at the next seq, whatever
   * the last; returns its seq. The 1.0 statement, a data-modifying CTE, for
   * the commonest append, alone and without expect.
   */
  readonly appendOne: Statement;
  /**
   * `$1` stream, `$2` expect (at least 1), `$3` payloads (`json[]`): the
   * payloads at the seqs after `$2` if the stream's last seq is `$2`. One
   * row, one column, a `bigint[]` of one number as `append` returns: the
   * new last seq, or `-1 - actual` with the last seq the statement's
   * snapshot saw. That is `$2` itself when another append moved the row
   * after the snapshot (the statement waited for it, or met it committed):
   * the caller then asks `append`, which judges again under the row lock.
   */
  readonly appendAfter: Statement;
  /**
   * `$1` stream, `$2` unit sizes (`integer[]`), `$3` expects (`bigint[]`, NULL
   * for none, or NULL as a whole), `$4` payloads (`json[]`): one row, one
   * column, a `bigint[]` with each unit's last seq, or `-1 - actual` where
   * its expect did not match. See the schema's `append` function.
   */
  readonly append: Statement;
  /** The same over several streams: `$1` each unit's stream (`text[]`, sorted). A group commit. */
  readonly appendAll: Statement;
  /**
   * A group commit over several streams where no unit has an expect: the
   * same arguments and result as `appendAll` without `$3`, set-based.
   */
  readonly appendAllWithoutExpect: Statement;
  /**
   * The commonest group commit, set-based and leaner still: one event on
   * each of several streams, no expect. `$1` the streams (`text[]`, each
   * once, strictly ascending in code-point order: the statement pairs them
   * with their counters by that order), `$2` the payloads (`json[]`, one per
   * stream); the same result as `appendAll`.
   */
  readonly appendOneEach: Statement;
  /**
   * `$1` stream, `$2` after, `$3` limit, `$4` the largest payload sent:
   * one keyset page, `[seq, payload, withheld_bytes]` rows; `payload` is
   * NULL and `withheld_bytes` its size when it is over `$4`, except in the
   * page's first row (see PageBudget in @hume/core).
   */
  readonly readPage: Statement;
}

/**
 * Builds the statements. Every append, alone, in a batch or in a group
 * commit, is one statement in one implicit transaction: a call of the
 * schema's `append` function for one stream (which Citus can push down to
 * the stream's worker), of `append_all` or a set-based statement for a
 * group over several streams, and the 1.0 counter CTE for a lone append
 * without expect: measured cheaper than the function call on a loaded
 * machine, and the same statement as 1.0 (with the option `citus` that one
 * goes through `append` too, since Citus pulls the CTE to the coordinator).
 *
 * @example
 * ```ts
 * const { append } = statementsFor(resolveOptions());
 * await pool.query({ name: append.name, text: append.text, values: ['cart-1', [1], null, ['{}']] });
 * ```
 */
export function statementsFor(options: ResolvedOptions): Statements {
  const { events, streams, appendFunction, appendAllFunction } = options;
  const args = '$2::integer[], $3::bigint[], $4::json[]';
  return {
    // The row lock taken by ON CONFLICT DO UPDATE queues concurrent appends on one
    // stream behind each other, so each sees the previous one's seq: no retry, no gap.
    // The counter's tx only grows, so the feed's (tx, position) order keeps seq order (see the schema).
    appendOne: named(
      `WITH counter AS (INSERT INTO ${streams} AS s (stream, seq, tx) VALUES ($1, 1, pg_current_xact_id()) ON CONFLICT (stream) DO UPDATE SET seq = s.seq + 1, tx = greatest(s.tx, excluded.tx) RETURNING s.seq, s.tx) INSERT INTO ${events} (stream, seq, payload, tx) SELECT $1::text, counter.seq, $2::json, counter.tx FROM counter RETURNING seq`,
    ),
    // The commonest append with expect in one statement, without a function call (1.045 x the call
    // of `append` for one event on one connection, the same for 100; 0.97 x with 8 racing on one
    // stream, whose waiting losers ask `append` again). The counter row moves only if it is at the
    // expect (read committed re-checks a row it waited for), and the events take the seqs after it,
    // with its tx, positions in seq order (ORDER BY, which the scan of unnest's ordinality already
    // gives, so no sort runs). The events are one scan of the payloads under a one-time test that
    // the counter moved, not a join with it: 1.06 x the INSERT of the join's form, with fsync off,
    // 100 events per statement (scratch runs, raw pg, 20 rounds). When nothing moved, the
    // snapshot's last seq is a true conflict unless it is the expect: then the row moved after the
    // snapshot (while the UPDATE waited for it, or just before it got there).
    appendAfter: named(
      `WITH c AS (
        UPDATE ${streams} AS s SET seq = s.seq + cardinality($3::json[]), tx = greatest(s.tx, pg_current_xact_id())
        WHERE s.stream = $1 AND s.seq = $2 RETURNING s.seq, s.tx
      ), e AS (
        INSERT INTO ${events} (stream, seq, payload, tx)
        SELECT $1::text, $2::bigint + p.n, p.payload, (SELECT c.tx FROM c) FROM unnest($3::json[]) WITH ORDINALITY AS p(payload, n)
        WHERE EXISTS (SELECT FROM c)
        ORDER BY p.n
      )
      SELECT ARRAY[coalesce((SELECT c.seq FROM c), -1 - coalesce((SELECT s.seq FROM ${streams} AS s WHERE s.stream = $1), 0))]`,
    ),
    append: named(`SELECT ${appendFunction}($1::text, ${args})`),
    appendAll: named(`SELECT ${appendAllFunction}($1::text[], ${args})`),
    // Two writes for the whole group, however many streams: one multi-row upsert moves every
    // stream's counter by its total (rows in "C" order, the order the caller sorted them in, so
    // locks are taken in the same order as by the functions), one INSERT stores every event at
    // its counter's new end minus what follows it, with the tx its counter row returned, in unit
    // order (positions follow seq order within a stream). A data-modifying CTE runs to completion
    // even though the final SELECT does not read it. Linear in the group's size, whatever the plan:
    // - a unit finds its counter's new end by the rank of its stream (g) in the arrays of `ends`,
    //   read once (scalar subqueries), not by a join of u and c, which the planner ran as a nested
    //   loop (a group of 2,000 streams spent 0.5 s comparing 4 million pairs);
    // - the payloads go in by unnest, zipped with the other columns' arrays, not by subscripting
    //   $3 per event (a walk from the array's start each time: 10,000 events took 0.4 s);
    // - the arrays are unnested behind scalar subqueries, so that a plan does not depend on their
    //   lengths and the server settles on a generic plan after five runs, instead of planning the
    //   statement anew on every run (a third of a group of 8's time).
    appendAllWithoutExpect: named(
      `WITH u AS (
        SELECT x.stream, x.size, x.i,
          sum(x.size) OVER (PARTITION BY x.stream ORDER BY x.i) AS upto,
          sum(x.size) OVER (PARTITION BY x.stream) AS total,
          (dense_rank() OVER (ORDER BY x.stream COLLATE "C"))::integer AS g
        FROM unnest((SELECT $1::text[]), (SELECT $2::integer[])) WITH ORDINALITY AS x(stream, size, i)
      ), c AS (
        INSERT INTO ${streams} AS s (stream, seq, tx)
        SELECT DISTINCT ON (u.stream COLLATE "C") u.stream, u.total, pg_current_xact_id() FROM u ORDER BY u.stream COLLATE "C"
        ON CONFLICT (stream) DO UPDATE SET seq = s.seq + excluded.seq, tx = greatest(s.tx, excluded.tx)
        RETURNING s.stream, s.seq, s.tx
      ), ends AS (
        SELECT array_agg(c.seq ORDER BY c.stream COLLATE "C") AS seqs, array_agg(c.tx ORDER BY c.stream COLLATE "C") AS txs FROM c
      ), event_rows AS (
        SELECT array_agg(u.stream ORDER BY u.i, k) AS streams,
          array_agg((SELECT seqs FROM ends)[u.g] - u.total + u.upto - u.size + k ORDER BY u.i, k) AS seqs,
          array_agg((SELECT txs FROM ends)[u.g] ORDER BY u.i, k) AS txs
        FROM u, generate_series(1, u.size) AS k
      ), e AS (
        INSERT INTO ${events} (stream, seq, payload, tx)
        SELECT unnest(event_rows.streams), unnest(event_rows.seqs), unnest($3::json[]), unnest(event_rows.txs) FROM event_rows
      )
      SELECT array_agg((SELECT seqs FROM ends)[u.g] - u.total + u.upto ORDER BY u.i) FROM u`,
    ),
    // appendAllWithoutExpect without what several events or units per stream need (ranks, running
    // sums, the events' series): a group of 8 appends on 8 streams measured a quarter cheaper. The
    // counters' new ends, aggregated in "C" order, line up with the streams because $1 comes in
    // that order (the caller checks it): one row returned per stream, whatever order the upsert
    // took them in. The upsert locks counter rows in array order because the plan feeds it from
    // unnest without a sort (no ORDER BY, which would cost one): the order the other statements
    // lock them in; should a plan ever differ, two stores could deadlock, which the server breaks
    // and the store retries (40P01).
    appendOneEach: named(
      `WITH c AS (
        INSERT INTO ${streams} AS s (stream, seq, tx)
        SELECT x.stream, 1, pg_current_xact_id() FROM unnest((SELECT $1::text[])) AS x(stream)
        ON CONFLICT (stream) DO UPDATE SET seq = s.seq + 1, tx = greatest(s.tx, excluded.tx)
        RETURNING s.stream, s.seq, s.tx
      ), ends AS (
        SELECT array_agg(c.seq ORDER BY c.stream COLLATE "C") AS seqs, array_agg(c.tx ORDER BY c.stream COLLATE "C") AS txs FROM c
      ), e AS (
        INSERT INTO ${events} (stream, seq, payload, tx)
        SELECT x.stream, (SELECT seqs FROM ends)[x.i], x.payload, (SELECT txs FROM ends)[x.i]
        FROM unnest((SELECT $1::text[]), (SELECT $2::json[])) WITH ORDINALITY AS x(stream, payload, i)
      )
      SELECT seqs FROM ends`,
    ),
    // A page of $3 events at most, payloads over $4 bytes withheld (see PageBudget) but the first
    // one's (seqs have no gaps): a read of a few large events takes one query per page, not two.
    readPage: named(
      `SELECT seq, ${payloadColumnsWithin(4, 'seq = $2::bigint + 1')} FROM ${events} WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    ),
  };
}

/** A statement of `text`, named after it (for SQL built elsewhere, such as the feed's). */
export function namedStatement(text: string): Statement {
  return named(text);
}

function named(text: string): Statement {
  // Names are per connection and shared with the application's own prepared statements.
  // Stryker disable next-line StringLiteral,MethodExpression: equivalent: any name unique to the statement's text prepares the same statement (the whole hash, cut at 63 bytes by the server, is still unique), and the empty name sends it unnamed (performance only)
  return { name: `hume_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
}
