import {
  type AppendResult,
  BackendError,
  checkAppend,
  checkEvents,
  type Event,
  type EventStore,
  type Json,
  type JsonShaped,
  PagedEventReader,
  type Seq,
  StoreClosedError,
  UnexpectedSeqError,
} from '@hume/core';
import pg, { type Pool } from 'pg';
import { AppendBatcher } from './append-batcher.js';
import type { MigrateResult } from './migrate-result.js';
import { parseSeq } from './parse-seq.js';
import { backoff, isConnectionLost, isRetryable, MAX_RETRIES, sqlState } from './postgres-failure.js';
import { type PostgresOptions, type ResolvedOptions, resolveOptions } from './postgres-options.js';
import { type Statement, type Statements, statementsFor } from './postgres-statements.js';
import { rawTypes } from './raw-types.js';
import { runMigrations } from './run-migrations.js';

type Row = (string | null)[];

/** What a statement returned: its rows, and how many rows it wrote or read (the command tag's count, if it had one). */
interface Outcome {
  readonly rows: Row[];
  readonly rowCount: number | null;
}

/**
 * A Hume event store on PostgreSQL. Each append is one statement and one
 * round trip, with no explicit transaction and no advisory lock: a
 * data-modifying CTE moves the stream's counter row and inserts the event
 * at the seq it returns, so seqs have no gaps, even when an append fails.
 * Reads fetch keyset pages on the primary key `(stream, seq)`, borrowing a
 * pooled connection for one page at a time.
 *
 * Give it a `pg.Pool` (yours: `close()` leaves it open) or a connection
 * string (then the store owns its pool and `close()` ends it). Call
 * `migrate()` once before the first append.
 *
 * @example
 * ```ts
 * const store = new PostgresEventStore(process.env.DATABASE_URL!);
 * await store.migrate();
 * await store.append('cart-1', { type: 'opened' }, 0);
 * for await (const event of store.events('cart-1')) console.log(event);
 * await store.close();
 * ```
 */
export class PostgresEventStore<P extends JsonShaped<P> = Json> implements EventStore<P> {
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #options: ResolvedOptions;
  readonly #sql: Statements;
  readonly #batcher = new AppendBatcher((stream, payloads) => this.#appendMany(stream, payloads));
  #closing: Promise<void> | undefined;

  constructor(pool: Pool | string, options: PostgresOptions = {}) {
    this.#options = resolveOptions(options);
    this.#sql = statementsFor(this.#options);
    if (typeof pool === 'string') {
      this.#pool = new pg.Pool({ connectionString: pool });
      // An idle connection the server closes is dropped by the pool; without a listener the
      // 'error' it emits would end the process. The next call simply opens a fresh one.
      this.#pool.on('error', () => undefined);
      this.#ownsPool = true;
    } else if (typeof pool === 'object' && pool !== null && typeof pool.query === 'function' && typeof pool.connect === 'function') {
      this.#pool = pool;
      this.#ownsPool = false;
    } else {
      throw new TypeError(`pool must be a pg.Pool or a connection string (got ${pool === null ? 'null' : typeof pool})`);
    }
  }

  /**
   * Creates the schema and tables when missing and brings them to this
   * release's schema version, recorded in the `migrations` table. Safe to
   * run at every start and from several processes at once.
   *
   * @example
   * ```ts
   * const { from, to } = await store.migrate(); // { from: 0, to: 1 } the first time
   * ```
   */
  async migrate(): Promise<MigrateResult> {
    this.#assertOpen('migrate');
    try {
      return await runMigrations(this.#pool, this.#options);
    } catch (error) {
      throw new BackendError(`migrate of schema "${this.#options.schema}" failed: ${describe(error)}`, error);
    }
  }

  /**
   * Appends `payload` at the stream's last seq + 1, when `expect` (if given)
   * equals the last seq. A conflict costs a second query, to report the
   * stream's actual last seq; a success never does. Appends without
   * `expect` in flight together on one stream share a statement (see
   * {@link AppendBatcher}).
   *
   * @example
   * ```ts
   * const result = await store.append('cart-1', { type: 'item-added', sku: 'a1' }, 1);
   * if (!result.ok && result.error.code === 'UNEXPECTED_SEQ') console.log(result.error.actual);
   * ```
   */
  async append(stream: string, payload: P, expect?: Seq | null): Promise<AppendResult> {
    this.#assertOpen('append');
    const invalid = checkAppend(stream, payload, expect);
    if (invalid) return { ok: false, error: invalid };
    const json = JSON.stringify(payload);
    const operation = `append to ${JSON.stringify(stream)}`;
    if (expect == null) return { ok: true, seq: await this.#batcher.append(stream, json) };
    const [statement, values] = expect === 0 ? [this.#sql.appendFirst, [stream, json]] : [this.#sql.appendAfter, [stream, json, expect]];
    for (let attempt = 1; ; attempt++) {
      const { rowCount } = await this.#query(operation, statement, values);
      if (rowCount === 1) return { ok: true, seq: expect + 1 };
      // Without a count the outcome is unknown: reading it as a conflict could make a caller store its event twice.
      if (rowCount !== 0) {
        throw new BackendError(
          `${operation} failed: the server reported ${String(rowCount)} rows stored, not 0 or 1`,
          new Error('unexpected row count'),
        );
      }
      const actual = await this.#lastSeq(stream);
      // The counter only grows, so actual === expect means the stream caught up with an
      // `expect` that was ahead of it after the check: this append may now run after all.
      if (actual !== expect || attempt >= 3) return { ok: false, error: new UnexpectedSeqError(stream, expect, actual) };
    }
  }

  /**
   * Yields the stream's events after `from`, ascending, one page of
   * `readPageSize` events per query. Once half of a page has been taken the
   * next one is asked for, so its round trip overlaps the work on this one.
   * The connection goes back to the pool after each page: breaking out of
   * the loop holds nothing once a page already on its way has arrived (it is
   * dropped). A page whose connection was lost is fetched once more on a
   * fresh one.
   *
   * @example
   * ```ts
   * for await (const { seq, payload } of store.events('cart-1', 10)) apply(seq, payload);
   * ```
   */
  events(stream: string, from: Seq = 0): AsyncIterableIterator<Event<P>, undefined> {
    // Never throws here (C7.5): a closed store or a bad argument rejects the first next().
    const failure = this.#closing ? new StoreClosedError('events') : checkEvents(stream, from);
    const fetchPage = (after: Seq, limit: number): Promise<Event<P>[]> => this.#readPage(stream, after, limit);
    // Reading ahead overlaps a page's round trip with the caller's work on the page before it.
    return new PagedEventReader(fetchPage, from, this.#options.readPageSize, failure, { readAhead: true });
  }

  /**
   * Refuses further calls with code `CLOSED` and, when the store created its
   * pool from a connection string, ends that pool. A pool passed in stays
   * open: it belongs to the caller. Idempotent.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= this.#ownsPool && !this.#pool.ended ? this.#pool.end() : Promise.resolve();
    return this.#closing;
  }

  #assertOpen(operation: string): void {
    if (this.#closing) throw new StoreClosedError(operation);
  }

  /** Appends without `expect`: alone with the one-event statement, else as one batch. */
  async #appendMany(stream: string, payloads: readonly string[]): Promise<Seq[]> {
    const operation = `append to ${JSON.stringify(stream)}`;
    if (payloads.length === 1)
      return [this.#seqOf(operation, (await this.#query(operation, this.#sql.append, [stream, payloads[0]])).rows)];
    const { rows } = await this.#query(operation, this.#sql.appendMany, [stream, payloads, payloads.length]);
    let last = 0;
    for (const row of rows) last = Math.max(last, this.#seqOf(operation, [row]));
    if (rows.length !== payloads.length) {
      throw new BackendError(
        `${operation} stored ${rows.length} of a batch of ${payloads.length} events`,
        new Error('unexpected row count'),
      );
    }
    return payloads.map((_, index) => last - payloads.length + 1 + index);
  }

  async #readPage(stream: string, after: Seq, limit: number): Promise<Event<P>[]> {
    this.#assertOpen('events');
    const operation = `read of ${JSON.stringify(stream)} after seq ${after}`;
    const { rows } = await this.#query(operation, this.#sql.readPage, [stream, after, limit], true);
    // A page asked for ahead may arrive after close(): the read ends with CLOSED as if it had asked then.
    this.#assertOpen('events');
    try {
      return rows.map(([seq, payload]) => ({ seq: parseSeq(seq), payload: JSON.parse(payload ?? 'null') as P }));
    } catch (error) {
      throw new BackendError(`${operation} failed: ${describe(error)}`, error);
    }
  }

  async #lastSeq(stream: string): Promise<Seq> {
    const operation = `reading the last seq of ${JSON.stringify(stream)}`;
    const { rows } = await this.#query(operation, this.#sql.lastSeq, [stream], true);
    return rows.length === 0 ? 0 : this.#seqOf(operation, rows);
  }

  #seqOf(operation: string, rows: readonly Row[]): Seq {
    try {
      return parseSeq(rows[0]?.[0]);
    } catch (error) {
      throw new BackendError(`${operation} failed: ${describe(error)}`, error);
    }
  }

  /**
   * Runs one prepared statement, retrying serialization failures and
   * deadlocks (nothing was changed) and, for reads only, one lost
   * connection. Every other failure rejects with code BACKEND.
   */
  async #query(operation: string, statement: Statement, values: unknown[], readOnly = false): Promise<Outcome> {
    let reconnected = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows, rowCount } = await this.#pool.query<Row>({
          name: statement.name,
          text: statement.text,
          values,
          rowMode: 'array',
          types: rawTypes,
        });
        return { rows, rowCount };
      } catch (error) {
        if (this.#closing) throw new StoreClosedError(operation);
        if (isRetryable(error) && attempt <= MAX_RETRIES) {
          await backoff(attempt);
          continue;
        }
        if (readOnly && !reconnected && isConnectionLost(error)) {
          reconnected = true;
          continue;
        }
        throw new BackendError(`${operation} failed: ${describe(error)}`, error);
      }
    }
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (sqlState(error) === '42P01') return `${message} (run migrate() first)`;
  return message;
}
