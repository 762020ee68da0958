import { BackendError, cutPage, type EventPage, type PageBudget, type Seq } from '@hume/core';

import { parseSeq } from './parse-seq.js';
import { describeFailure, type PostgresStatementRunner, type Row } from './postgres-statement-runner.js';
import type { Statement } from './postgres-statements.js';

/**
 * One page of a stream's events after `after`: at most `limit` events and
 * about `budget`'s bytes of payload, in one query (the statement `readPage`
 * of the store's statements), two when its first payload was withheld (see
 * {@link PageBudget}). A page that arrives after the store began to close
 * ends the read with `CLOSED`, as if it had been asked for then.
 *
 * @example
 * ```ts
 * const budget = new PageBudget(1000, 4 * 2 ** 20);
 * const page = await readPostgresPage(runner, statements.readPage, 'cart-1', 0, 1000, budget);
 * ```
 */
export async function readPostgresPage<P>(
  db: PostgresStatementRunner,
  statement: Statement,
  stream: string,
  after: Seq,
  limit: number,
  budget: PageBudget,
): Promise<EventPage<P>> {
  // Stryker disable next-line StringLiteral: the words of an error message (the kit requires the code and the cause)
  const operation = `read of ${JSON.stringify(stream)} after seq ${after}`;
  for (;;) {
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    db.assertOpen('events');
    const rows = budget.rows(limit);
    // Stryker disable next-line BooleanLiteral: equivalent for the contract: the one retry of a page after a lost connection (C8.4 allows the BACKEND rejection)
    const result = await db.query(operation, statement, [stream, after, rows, budget.rowBytes(rows)], true);
    // Stryker disable next-line StringLiteral: the operation named in a CLOSED error's message (the kit requires the code, never the words)
    db.assertOpen('events');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: performance only: a page marked as perhaps not the last costs one more page read
    const page = toPage<P>(operation, result.rows, rows < limit ? rows : undefined, budget);
    // Stryker disable next-line ConditionalExpression: unreachable with the targets' options: a page comes back undefined only when its first row's payload exceeds readPageBytes (4 MiB), past every target's maximum payload
    if (page !== undefined) return page;
  }
}

/**
 * The events of `rows` up to the first withheld payload; `undefined` when
 * it is the first (ask again). `shortenedTo`: how many rows were asked for
 * when fewer than the reader wanted.
 */
function toPage<P>(operation: string, rows: Row[], shortenedTo: number | undefined, budget: PageBudget): EventPage<P> | undefined {
  const events = [];
  try {
    for (const [seq, payload, withheldBytes] of rows) {
      if (withheldBytes != null) {
        budget.ended(Number(withheldBytes));
        // Stryker disable next-line ConditionalExpression,EqualityOperator: performance only: the rows before a withheld payload are read again with the next page
        return events.length === 0 ? undefined : cutPage(events);
      }
      budget.sent(payload as string);
      events.push({ seq: parseSeq(seq as string), payload: JSON.parse(payload as string) as P });
    }
    // kit scope: outside the contract — a server answer that breaks its column's type (a payload that is not JSON in a json column, or a seq that is not a bigint): no kit target can make PostgreSQL return one
  } catch (error) {
    throw new BackendError(`${operation} failed: ${describeFailure(error)}`, error);
    // kit scope: end
  }
  budget.ended();
  // A page asked to be shorter than the reader wanted says nothing about the stream's end.
  // Stryker disable next-line ConditionalExpression: performance only: a page marked as perhaps not the last costs one more page read
  return events.length === shortenedTo ? cutPage(events) : events;
}
