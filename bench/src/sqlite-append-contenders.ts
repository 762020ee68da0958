// Append contenders for the SQLite suite beside the adapter: the adapter's own
// statement through raw better-sqlite3, and the 1.0 append path (before group
// commit), so that one run measures what group commit costs a lone caller.
import { type AppendResult, checkAppend, type Json, type Seq, UnexpectedSeqError } from '@hume/core';
import Database from 'better-sqlite3';
import { lanes, payload } from './lanes.js';
import type { Contender } from './scenario.js';
import { createEventsTable, NEXT_POSITION, openRawEvents, RAW_INSERT, setPragmas } from './sqlite-raw.js';

/**
 * The ceiling of group commit for `writers` writers: the statements of one
 * group (BEGIN IMMEDIATE, each stream's last seq and its insert, COMMIT),
 * `writers` appends on `writers` streams per transaction, with no caller,
 * promise or check in between.
 */
export function rawGroupAppender(name: string, file: string, synchronous: 'FULL' | 'NORMAL', writers: number): Contender {
  let statements:
    | { begin: Database.Statement; commit: Database.Statement; lastSeq: Database.Statement; insert: Database.Statement }
    | undefined;
  let db: Database.Database | undefined;
  let round = 0;
  return {
    name,
    async setup() {
      db = openRawEvents(file, synchronous);
      statements = {
        begin: db.prepare('BEGIN IMMEDIATE'),
        commit: db.prepare('COMMIT'),
        lastSeq: db.prepare('SELECT max(seq) FROM hume_events WHERE stream = ?').pluck(true),
        insert: db.prepare(RAW_INSERT),
      };
    },
    async run(ops) {
      const { begin, commit, lastSeq, insert } = statements!;
      const streams = Array.from({ length: writers }, (_, lane) => `group-${++round}-${lane}`);
      for (let done = 0; done < ops; done += writers) {
        begin.run();
        for (const stream of streams) insert.run(stream, ((lastSeq.get(stream) as number | null) ?? 0) + 1, JSON.stringify(payload));
        commit.run();
      }
    },
    async teardown() {
      db?.close();
    },
  };
}

/**
 * Raw better-sqlite3 running the statement the adapter's fast path runs
 * (an INSERT … SELECT that checks the guessed seq is last + 1), one
 * transaction per append, seqs counted in JS, no awaits.
 */
export function rawGuessingAppender(name: string, file: string, synchronous: 'FULL' | 'NORMAL'): Contender {
  let db: Database.Database | undefined;
  let insert: Database.Statement | undefined;
  let seq = 0;
  return {
    name,
    async setup() {
      db = openRawEvents(file, synchronous);
      insert = db.prepare(
        `INSERT INTO hume_events (stream, seq, position, payload) SELECT ?, ? + 1, ${NEXT_POSITION}, ?
         WHERE (SELECT coalesce(max(seq), 0) FROM hume_events WHERE stream = ?) = ?`,
      );
    },
    async run(ops) {
      for (let i = 0; i < ops; i++) {
        if (insert!.run('s', seq, JSON.stringify(payload), 's', seq).changes !== 1) throw new Error(`raw guess ${seq} refused`);
        seq++;
      }
    },
    async teardown() {
      db?.close();
    },
  };
}

/**
 * The append of @hume/sqlite 1.0, copied: an INSERT at the cached seq + 1
 * that the primary key refuses if someone else got there, else BEGIN
 * IMMEDIATE, last seq, INSERT, COMMIT; each append written at once, so
 * concurrent callers never share a commit. Its INSERT takes the feed
 * position as today's adapter does (1.0 had no feed), so that the two
 * differ by the append path only.
 */
export class SqliteAppend10 {
  readonly #db: Database.Database;
  readonly #lastSeq: Database.Statement;
  readonly #insert: Database.Statement;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  readonly #lastSeqs = new Map<string, Seq>();

  constructor(file: string, synchronous: 'FULL' | 'NORMAL') {
    this.#db = new Database(file);
    setPragmas(this.#db, synchronous);
    createEventsTable(this.#db);
    this.#lastSeq = this.#db.prepare('SELECT max(seq) FROM hume_events WHERE stream = ?').pluck(true);
    this.#insert = this.#db.prepare(RAW_INSERT);
    this.#begin = this.#db.prepare('BEGIN IMMEDIATE');
    this.#commit = this.#db.prepare('COMMIT');
    this.#rollback = this.#db.prepare('ROLLBACK');
  }

  async append(stream: string, event: Json, expect?: Seq | null): Promise<AppendResult> {
    const invalid = checkAppend(stream, event, expect);
    if (invalid) return { ok: false, error: invalid };
    const json = JSON.stringify(event);
    const known = this.#lastSeqs.get(stream);
    if (known !== undefined && (expect == null || expect === known)) {
      try {
        this.#insert.run(stream, known + 1, json);
        this.#lastSeqs.set(stream, known + 1);
        return { ok: true, seq: known + 1 };
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
      }
    }
    this.#begin.run();
    try {
      const last = (this.#lastSeq.get(stream) as number | null) ?? 0;
      if (expect != null && expect !== last) {
        this.#rollback.run();
        this.#lastSeqs.set(stream, last);
        return { ok: false, error: new UnexpectedSeqError(stream, expect, last) };
      }
      this.#insert.run(stream, last + 1, json);
      this.#commit.run();
      this.#lastSeqs.set(stream, last + 1);
      return { ok: true, seq: last + 1 };
    } catch (error) {
      if (this.#db.inTransaction) this.#rollback.run();
      throw error;
    }
  }

  close(): void {
    this.#db.close();
  }
}

/** The 1.0 append path, one awaited append at a time (`writers` 1), or `writers` concurrent loops on streams of their own. */
export function append10(name: string, file: string, synchronous: 'FULL' | 'NORMAL', writers = 1): Contender {
  let store: SqliteAppend10 | undefined;
  let round = 0;
  return {
    name,
    async setup() {
      store = new SqliteAppend10(file, synchronous);
    },
    async run(ops) {
      round++;
      await lanes(ops, writers, async (lane, count) => {
        for (let i = 0; i < count; i++) {
          const result = await store!.append(`v10-${round}-${lane}`, payload);
          if (!result.ok) throw result.error;
        }
      });
    },
    async teardown() {
      store?.close();
    },
  };
}
