import { createHash } from 'node:crypto';
import { BackendError, type StreamInfo, type StreamRange } from '@hume/core';
import { parseSeq } from './parse-seq.js';
import type { ResolvedOptions } from './postgres-options.js';
import { describeFailure, type PostgresStatementRunner } from './postgres-statement-runner.js';
import type { Statement } from './postgres-statements.js';

/**
 * The statement of one page of the stream listing (clause C12), on the
 * counter table, which holds one row per stream with its last seq. Names
 * compare under the "C" collation, the order of their UTF-8 bytes, so the
 * order is the contract's code-point order whatever the database's default
 * collation. `$1` after (exclusive, `''` for none), `$2` from (inclusive),
 * `$3` to (exclusive, or null), `$4` limit.
 *
 * @example
 * ```ts
 * const statement = streamsPageStatement(resolveOptions());
 * ```
 */
export function streamsPageStatement(options: ResolvedOptions): Statement {
  const text = `SELECT stream, seq FROM ${options.streams} WHERE stream COLLATE "C" > $1::text AND stream COLLATE "C" >= $2::text AND ($3::text IS NULL OR stream COLLATE "C" < $3::text) ORDER BY stream COLLATE "C" LIMIT $4`;
  // Stryker disable next-line StringLiteral,MethodExpression: equivalent: any name unique to the statement's text prepares the same statement
  return { name: `hume_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
}

/** The values of {@link streamsPageStatement} for one page. */
export function streamsPageValues(range: StreamRange, limit: number): unknown[] {
  return [range.after ?? '', range.from, range.to ?? null, limit];
}

/** The page's rows as stream infos. */
export function parseStreamsPage(rows: readonly (string | null)[][]): StreamInfo[] {
  // Stryker disable next-line StringLiteral: unreachable: a listed name is never null (the column is NOT NULL)
  return rows.map(([stream, seq]) => ({ stream: stream ?? '', last: parseSeq(seq) }));
}

/**
 * One page of the stream listing, read with the store's runner: `CLOSED`
 * once the store is closing, `BACKEND` for a failed query or a row that
 * does not parse.
 *
 * @example
 * ```ts
 * const page = await readStreamsPage(runner, streamsPageStatement(options), { from: 'cart-' }, 500);
 * ```
 */
export async function readStreamsPage(
  db: PostgresStatementRunner,
  statement: Statement,
  range: StreamRange,
  limit: number,
): Promise<StreamInfo[]> {
  // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
  db.assertOpen('streams');
  // Stryker disable next-line StringLiteral,BooleanLiteral: equivalent for the contract: the words of an error message, and the one retry of a page after a lost connection (C12.4 allows the BACKEND rejection)
  const { rows } = await db.query('listing streams', statement, streamsPageValues(range, limit), true);
  try {
    return parseStreamsPage(rows);
    // kit scope: outside the contract — a server answer that breaks its column's type (a last seq that is not a bigint): no kit target can make PostgreSQL return one
  } catch (error) {
    throw new BackendError(`listing streams failed: ${describeFailure(error)}`, error);
    // kit scope: end
  }
}
