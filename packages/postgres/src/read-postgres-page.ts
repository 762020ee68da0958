import { BackendError, cutPage, type EventPage, type Seq } from '@hume/core';
import { parseSeq } from './parse-seq.js';
import { describeFailure, type PostgresStatementRunner } from './postgres-statement-runner.js';
import type { Statement } from './postgres-statements.js';

/**
 * One page of a stream's events after `after`: at most `limit` events and
 * about `pageBytes` of payload, in one query (the statement `readPage` of
 * the store's statements). A page that arrives after the store began to
 * close ends the read with `CLOSED`, as if it had been asked for then.
 *
 * @example
 * ```ts
 * const page = await readPostgresPage(runner, statements.readPage, 'cart-1', 0, 500, 4 * 2 ** 20);
 * ```
 */
export async function readPostgresPage<P>(
  db: PostgresStatementRunner,
  statement: Statement,
  stream: string,
  after: Seq,
  limit: number,
  pageBytes: number,
): Promise<EventPage<P>> {
  db.assertOpen('events');
  const operation = `read of ${JSON.stringify(stream)} after seq ${after}`;
  const { rows } = await db.query(operation, statement, [stream, after, limit, pageBytes], true);
  db.assertOpen('events');
  try {
    const events = rows.map(([seq, payload]) => ({ seq: parseSeq(seq), payload: JSON.parse(payload ?? 'null') as P }));
    // The last row's `more` is 't' when the byte budget cut the page short of events that exist.
    return rows.at(-1)?.[2] === 't' ? cutPage(events) : events;
  } catch (error) {
    throw new BackendError(`${operation} failed: ${describeFailure(error)}`, error);
  }
}
