import { BackendError, StoreClosedError } from '@hume/core';
import { describeCause } from './open-sqlite-database.js';
import type { AppendOutcome, PendingAppend } from './pending-append.js';
import type { SqliteAppendWriter } from './sqlite-append-writer.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface Queued extends PendingAppend {
  resolve(outcome: AppendOutcome): void;
  reject(error: Error): void;
}

/**
 * Group commit. better-sqlite3 is synchronous, so a write is "in flight"
 * from the moment it is made until its caller has been answered, which
 * happens in promise callbacks after the code that called it. The first
 * append goes straight to the database, as a lone caller's must (no timer,
 * no deferral: its row is written before `append` returns its promise).
 * Appends called while that write is in flight (in the same synchronous
 * run of code) queue, and the queue is written as one transaction on
 * `process.nextTick`. After such a group, the next one waits for
 * `setImmediate`, which comes after every promise callback: the callers it
 * answered, who typically append again at once, all join it, so 8 awaiting
 * writers settle into one transaction (and, with `durability: 'full'`, one
 * sync) per round. This is the PostgreSQL adapter's design: the first
 * caller goes at once, callers arriving during a write join the next group.
 * A group of one takes the single-append fast path.
 *
 * A transaction opened by the caller on a shared `Database` is to the queue
 * what another connection's write lock is to SQLite: the group waits for it
 * to end (checked every millisecond), up to the busy timeout, then rejects
 * with `BACKEND`; it never commits inside it.
 *
 * @example
 * ```ts
 * const group = new SqliteGroupCommit(db, writer, 5_000);
 * const outcome = await group.enqueue({ stream: 'cart-1', payloads: ['{}'], expect: undefined }); // written at once, or in the next group
 * ```
 */
export class SqliteGroupCommit {
  readonly #db: SqliteDatabase;
  readonly #writer: SqliteAppendWriter;
  readonly #busyTimeout: number;
  #queue: Queued[] = [];
  /** A flush of the queue is scheduled (nextTick, setImmediate or a wait for a caller's transaction). */
  #scheduled = false;
  /** A write made at once has not been answered yet: callers arriving now queue behind it. */
  // Stryker disable next-line BooleanLiteral: equivalent in behaviour, performance only: the contract lets every append take its own transaction (the group-commit rows of `pnpm bench` see it)
  #writing = false;
  /** When the queue started waiting for a transaction of the caller's to end. */
  #waitingSince: number | undefined;

  constructor(db: SqliteDatabase, writer: SqliteAppendWriter, busyTimeout: number) {
    this.#db = db;
    this.#writer = writer;
    this.#busyTimeout = busyTimeout;
  }

  /**
   * Writes the append at once when nothing is queued or being written and
   * returns its outcome (or throws `BACKEND` if the write failed), else
   * queues it for the next group: the promise resolves with its own
   * outcome, or rejects with `BACKEND` if the group's write failed.
   */
  enqueue(append: PendingAppend): Promise<AppendOutcome> | AppendOutcome {
    // Stryker disable next-line ConditionalExpression,LogicalOperator,BooleanLiteral: equivalent in behaviour, performance only: the contract lets every append take its own transaction (the group-commit rows of `pnpm bench` see it); and call order between appends in flight at once is not the contract's (C2.6's note)
    if (!this.#scheduled && !this.#writing) return this.#writeAtOnce(append);
    return new Promise((resolve, reject) => {
      // Named fields rather than a spread: one object shape for every queued append (a spread cost about 1 µs per append in a profile).
      this.#queue.push({ stream: append.stream, payloads: append.payloads, expect: append.expect, resolve, reject });
      // Stryker disable next-line ConditionalExpression: `true` is equivalent, a second flush scheduled finds the queue empty; its caught `false` twin goes with it
      if (!this.#scheduled) {
        this.#scheduled = true;
        process.nextTick(this.#flush);
      }
    });
  }

  /**
   * Writes what is queued now, for `close()`: the calls already made are
   * committed (or rejected with `CLOSED` if a transaction of the caller's
   * holds them up) before the connection goes.
   */
  drain(): void {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the flush already scheduled writes the queue before close(), which waits for the calls, ends the connection (this only makes it immediate); and an empty group commits an empty transaction
    if (this.#queue.length === 0) return;
    // kit scope: outside the contract — a transaction the application opened on a shared Database, a feature of this adapter's own
    if (this.#db.open && this.#db.inTransaction) {
      this.#rejectAll((append) => new StoreClosedError(`append to stream ${JSON.stringify(append.stream)}`));
      // kit scope: end
    } else {
      this.#write(this.#take());
    }
  }

  #writeAtOnce(append: PendingAppend): AppendOutcome {
    // Stryker disable next-line BooleanLiteral: equivalent in behaviour, performance only: the contract lets every append take its own transaction (the group-commit rows of `pnpm bench` see it)
    this.#writing = true;
    // Queued before the caller's continuation, so a lone caller's next append finds the write answered and goes at once too.
    queueMicrotask(this.#answered);
    try {
      return this.#writer.writeAlone(append);
    } catch (error) {
      throw failed(append, error);
    }
  }

  // Stryker disable next-line BlockStatement: equivalent in behaviour, performance only: the contract lets every append take its own transaction (the group-commit rows of `pnpm bench` see it)
  readonly #answered = (): void => {
    // Stryker disable next-line BooleanLiteral: equivalent in behaviour, performance only: the contract lets every append take its own transaction (the group-commit rows of `pnpm bench` see it)
    this.#writing = false;
  };

  readonly #flush = (): void => {
    this.#scheduled = false;
    if (this.#queue.length === 0) return;
    // kit scope: outside the contract — a transaction the application opened on a shared Database, a feature of this adapter's own
    if (this.#db.open && this.#db.inTransaction) {
      this.#waitForCallerTransaction();
      return;
    }
    // kit scope: end
    this.#write(this.#take());
    // The callers just answered append again from their promise callbacks: hold the queue for them.
    // Stryker disable next-line BooleanLiteral: equivalent in behaviour, performance only: the contract lets every append take its own transaction (the group-commit rows of `pnpm bench` see it)
    this.#scheduled = true;
    setImmediate(this.#flush);
  };

  // kit scope: outside the contract — a transaction the application opened on a shared Database, a feature of this adapter's own
  #waitForCallerTransaction(): void {
    this.#waitingSince ??= Date.now();
    if (Date.now() - this.#waitingSince >= this.#busyTimeout) {
      const message = `the shared Database stayed in a transaction this store did not open for longer than busyTimeout (${this.#busyTimeout} ms)`;
      this.#rejectAll((append) => new BackendError(`append to stream ${JSON.stringify(append.stream)} failed: ${message}`, undefined));
      return;
    }
    this.#scheduled = true;
    setTimeout(this.#flush, 1);
  }

  // kit scope: end

  #take(): Queued[] {
    const group = this.#queue;
    this.#queue = [];
    this.#waitingSince = undefined;
    return group;
  }

  // kit scope: outside the contract — a transaction the application opened on a shared Database, a feature of this adapter's own
  #rejectAll(failure: (append: Queued) => Error): void {
    for (const append of this.#take()) append.reject(failure(append));
  }

  // kit scope: end

  #write(group: readonly Queued[]): void {
    let outcomes: AppendOutcome[];
    try {
      // Stryker disable next-line ConditionalExpression: `false` is equivalent in behaviour, performance only: the contract lets every append take its own transaction (the group-commit rows of `pnpm bench` see it); its caught `true` twin goes with it
      outcomes = group.length === 1 ? [this.#writer.writeAlone(group[0]!)] : this.#writer.writeGroup(group);
    } catch (error) {
      for (const append of group) append.reject(failed(append, error));
      return;
    }
    for (let i = 0; i < group.length; i++) group[i]!.resolve(outcomes[i]!);
  }
}

function failed(append: PendingAppend, error: unknown): BackendError {
  return new BackendError(`append to stream ${JSON.stringify(append.stream)} failed: ${describeCause(error)}`, error);
}
