/** SQLSTATEs after which the same statement may simply run again: nothing was changed. */
// kit scope: outside the contract — retries after a serialization failure or a deadlock, which this store's statements avoid (one statement per commit, streams locked in sorted order): no kit target can provoke one
const retryable: ReadonlySet<string> = new Set([
  '40001', // serialization_failure: CockroachDB and YugabyteDB run SERIALIZABLE and may abort either writer
  '40P01', // deadlock_detected
]);
// kit scope: end

/** How many times a statement that failed with a retryable SQLSTATE runs again. */
export const MAX_RETRIES = 5;

/**
 * Tells whether a driver error is a serialization failure or a deadlock,
 * which roll back the whole statement and may be retried.
 *
 * @example
 * ```ts
 * if (isRetryable(error) && attempt < MAX_RETRIES) continue;
 * ```
 */
// kit scope: outside the contract — retries after a serialization failure or a deadlock, which this store's statements avoid (one statement per commit, streams locked in sorted order): no kit target can provoke one
export function isRetryable(error: unknown): boolean {
  return retryable.has(sqlState(error) ?? '');
  // kit scope: end
}

/**
 * Tells whether a driver error means the connection itself was lost
 * (terminated by the server, reset, refused) rather than a statement
 * failing on a healthy connection. Only reads retry on those: an append
 * whose connection died has an unknown outcome.
 *
 * @example
 * ```ts
 * if (isConnectionLost(error) && !retried) return readPageAgain();
 * ```
 */
// Stryker disable next-line BlockStatement: equivalent for the contract with pg: a read that is not tried again rejects with BACKEND (C8.4 allows it), pg-pool drops a broken connection whatever the store says, and an error without a SQLSTATE already makes an append's outcome unknown
export function isConnectionLost(error: unknown): boolean {
  const state = sqlState(error);
  // Stryker disable next-line ConditionalExpression,LogicalOperator,MethodExpression,StringLiteral,EqualityOperator: equivalent for the contract with pg: a session the server ends (57P01–57P03) or drops (class 08) aborts its statement, so calling its append's outcome known is true; a read not tried again rejects with BACKEND (C8.4 allows it); pg-pool drops the connection whatever the store says
  if (state !== undefined) return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03';
  // Stryker disable next-line StringLiteral: unreachable: pg's errors are Errors, so the empty message is never taken
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|ECONNRESET|ECONNREFUSED|EPIPE|Client has encountered a connection error/i.test(message);
}

/**
 * The SQLSTATE of a server error (`'40001'`), or `undefined` for errors that
 * did not come from the server.
 *
 * @example
 * ```ts
 * if (sqlState(error) === '42P01') console.log('run migrate() first');
 * ```
 */
export function sqlState(error: unknown): string | undefined {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,BooleanLiteral,StringLiteral: unreachable: pg's errors are objects
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error as { code: unknown };
  // Stryker disable next-line ConditionalExpression: equivalent: pg's error codes are strings, and the pattern refuses anything else too (its `true` twin, every code taken as a SQLSTATE, is killed)
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Waits a little before a retry, longer after each attempt and with jitter,
 * so that two writers that aborted each other do not collide again.
 *
 * @example
 * ```ts
 * await backoff(attempt); // up to 5 ms × 2^attempt
 * ```
 */
// kit scope: outside the contract — retries after a serialization failure or a deadlock, which this store's statements avoid (one statement per commit, streams locked in sorted order): no kit target can provoke one
export function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * 2 ** attempt * 5;
  return new Promise((resolve) => setTimeout(resolve, ms));
  // kit scope: end
}
