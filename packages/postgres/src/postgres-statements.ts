import { createHash } from 'node:crypto';
import type { ResolvedOptions } from './postgres-options.js';

/** One SQL statement, prepared once per connection under a name derived from its text. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** The statements a store runs, for its schema and table names. */
export interface Statements {
  /** `$1` stream, `$2` payload: the next seq, whatever the last. */
  readonly append: Statement;
  /** `$1` stream, `$2` payloads (`json[]`), `$3` their count: the next seqs, in array order, whatever the last. */
  readonly appendMany: Statement;
  /** `$1` stream, `$2` payload: seq 1, only when the stream has no events. Returns no rows: its row count tells. */
  readonly appendFirst: Statement;
  /** `$1` stream, `$2` payload, `$3` expected last seq (≥ 1): seq `$3 + 1`, only when the last seq is `$3`. Returns no rows: its row count tells. */
  readonly appendAfter: Statement;
  /** `$1` stream: the last seq, or no row. */
  readonly lastSeq: Statement;
  /** `$1` stream, `$2` after, `$3` limit: one keyset page. */
  readonly readPage: Statement;
}

/**
 * Builds the statements. Each append is one statement: a data-modifying
 * CTE moves the stream's counter row and the outer INSERT stores the event
 * at the seq the CTE returned. When the CTE matches no row (a conflict),
 * the INSERT has nothing to insert and the statement stores nothing (row
 * count 0) rather than raising an error, which would cost the pooled
 * connection.
 *
 * @example
 * ```ts
 * const { append } = statementsFor(resolveOptions());
 * await pool.query({ name: append.name, text: append.text, values: ['cart-1', '{}'] });
 * ```
 */
export function statementsFor(options: ResolvedOptions): Statements {
  const { events, streams } = options;
  // With an expected seq the new seq is known, so those shapes skip RETURNING: the command
  // tag's row count says whether the event was stored, and the driver parses no row.
  const insertEvent = `INSERT INTO ${events} (stream, seq, payload) SELECT $1::text, counter.seq, $2::json FROM counter`;
  return {
    // The row lock taken by ON CONFLICT DO UPDATE queues concurrent appends on one
    // stream behind each other, so each sees the previous one's seq: no retry, no gap.
    append: named(
      `WITH counter AS (INSERT INTO ${streams} AS s (stream, seq) VALUES ($1, 1) ON CONFLICT (stream) DO UPDATE SET seq = s.seq + 1 RETURNING s.seq) ${insertEvent} RETURNING seq`,
    ),
    // The counter moves by the batch's size at once; each payload's seq follows from its ordinality.
    appendMany: named(
      `WITH counter AS (INSERT INTO ${streams} AS s (stream, seq) VALUES ($1, $3::bigint) ON CONFLICT (stream) DO UPDATE SET seq = s.seq + $3::bigint RETURNING s.seq) INSERT INTO ${events} (stream, seq, payload) SELECT $1::text, counter.seq - $3::bigint + p.n, p.payload FROM counter, unnest($2::json[]) WITH ORDINALITY AS p(payload, n) RETURNING seq`,
    ),
    appendFirst: named(
      `WITH counter AS (INSERT INTO ${streams} (stream, seq) VALUES ($1, 1) ON CONFLICT (stream) DO NOTHING RETURNING seq) ${insertEvent}`,
    ),
    // Under READ COMMITTED a waiting UPDATE re-checks `seq = $3` on the row the winner
    // committed, so of many appends with one expect exactly one matches.
    appendAfter: named(`WITH counter AS (UPDATE ${streams} SET seq = seq + 1 WHERE stream = $1 AND seq = $3 RETURNING seq) ${insertEvent}`),
    lastSeq: named(`SELECT seq FROM ${streams} WHERE stream = $1`),
    readPage: named(`SELECT seq, payload FROM ${events} WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3`),
  };
}

function named(text: string): Statement {
  // Names are per connection and shared with the application's own prepared statements.
  return { name: `hume_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
}
