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
 * Group commit. better-sqlite3 is synchronous, so an append written at once
 * would always commit alone: two callers could never share a commit, and
 * with `durability: 'full'` each commit costs a sync to disk. Instead,
 * appends are queued and written on `process.nextTick`, which Node runs once
 * the current turn's code and promise callbacks are done: every append
 * called in that turn (8 writers whose previous appends resolved together,
 * say) shares one transaction and one sync. No timer is involved, so a lone
 * caller waits for nothing but its own write. A group of one takes the
 * single-append fast path, the same statements as without grouping.
 *
 * A transaction opened by the caller on a shared `Database` is to the queue
 * what another connection's write lock is to SQLite: the group waits for it
 * to end (checked every millisecond), up to the busy timeout, then rejects
 * with `BACKEND`; it never commits inside it.
 *
 * @example
 * ```ts
 * const group = new SqliteGroupCommit(db, writer, 5_000);
 * const outcome = await group.enqueue({ stream: 'cart-1', payloads: ['{}'], expect: undefined });
 * ```
 */
export class SqliteGroupCommit {
  readonly #db: SqliteDatabase;
  readonly #writer: SqliteAppendWriter;
  readonly #busyTimeout: number;
  #queue: Queued[] = [];
  #scheduled = false;
  /** When the queue started waiting for a transaction of the caller's to end. */
  #waitingSince: number | undefined;

  constructor(db: SqliteDatabase, writer: SqliteAppendWriter, busyTimeout: number) {
    this.#db = db;
    this.#writer = writer;
    this.#busyTimeout = busyTimeout;
  }

  /** Queues an append for the next group; resolves with its own outcome, or rejects with `BACKEND` if its group failed. */
  enqueue(append: PendingAppend): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ ...append, resolve, reject });
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
    if (this.#queue.length === 0) return;
    if (this.#db.open && this.#db.inTransaction) {
      this.#rejectAll((append) => new StoreClosedError(`append to stream ${JSON.stringify(append.stream)}`));
    } else {
      this.#write(this.#take());
    }
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    if (this.#queue.length === 0) return;
    if (this.#db.open && this.#db.inTransaction) {
      this.#waitForCallerTransaction();
      return;
    }
    this.#write(this.#take());
  };

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

  #take(): Queued[] {
    const group = this.#queue;
    this.#queue = [];
    this.#waitingSince = undefined;
    return group;
  }

  #rejectAll(failure: (append: Queued) => Error): void {
    for (const append of this.#take()) append.reject(failure(append));
  }

  #write(group: readonly Queued[]): void {
    let outcomes: AppendOutcome[];
    try {
      outcomes = group.length === 1 ? [this.#writer.writeAlone(group[0]!)] : this.#writer.writeGroup(group);
    } catch (error) {
      for (const append of group) {
        append.reject(new BackendError(`append to stream ${JSON.stringify(append.stream)} failed: ${describeCause(error)}`, error));
      }
      return;
    }
    for (let i = 0; i < group.length; i++) group[i]!.resolve(outcomes[i]!);
  }
}
