// The raw better-sqlite3 side of the SQLite benchmarks: what a user would
// write by hand on the same table, with the same pragmas.
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';

/** The pragmas both sides run with. */
export function setPragmas(db: SqliteDatabase, synchronous: 'FULL' | 'NORMAL'): void {
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma(`synchronous = ${synchronous}`);
}

/**
 * The adapter's table, made by hand for the raw side: the feed's `position`
 * column and its unique index included, so that a raw insert maintains the
 * same index as the adapter's.
 */
export function createEventsTable(db: SqliteDatabase): void {
  db.exec(`CREATE TABLE IF NOT EXISTS hume_events (
    stream TEXT NOT NULL, seq INTEGER NOT NULL, position INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (stream, seq)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX IF NOT EXISTS hume_events_position ON hume_events (position)`);
}

/** The next feed position, taken inside the insert as the adapter takes it (one seek at the end of the index). */
export const NEXT_POSITION = '(SELECT coalesce(max(position), 0) + 1 FROM hume_events)';

/** `(stream, seq, payload)`: the plain INSERT a user would write on this table. */
export const RAW_INSERT = `INSERT INTO hume_events (stream, seq, position, payload) VALUES (?, ?, ${NEXT_POSITION}, ?)`;

/**
 * Writes `count` events to `stream` of a file the adapter created, in one
 * transaction, each at the feed's next position as the adapter would:
 * setup, not measured.
 */
export function fillStream(db: SqliteDatabase, stream: string, count: number, payload: unknown): void {
  const insert = db.prepare('INSERT INTO hume_events (stream, seq, position, payload) VALUES (?, ?, ?, ?)');
  const json = JSON.stringify(payload);
  db.transaction(() => {
    const last = db.prepare('SELECT coalesce(max(position), 0) FROM hume_events').pluck().get() as number;
    for (let seq = 1; seq <= count; seq++) insert.run(stream, seq, last + seq, json);
  })();
}

/**
 * Keyset pages with JSON.parse, each event handed to `onEvent`: the raw
 * read the adapter is measured against. Returns how many events it read.
 */
export function readRawPages(
  db: SqliteDatabase,
  stream: string,
  pageSize: number,
  limit: number,
  onEvent: (event: { seq: number; payload: unknown }) => void,
): number {
  const page = db.prepare('SELECT seq, payload FROM hume_events WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?').raw(true);
  let after = 0;
  let read = 0;
  for (;;) {
    const rows = page.all(stream, after, pageSize) as [number, string][];
    for (const [seq, payload] of rows) {
      if (read === limit) return read;
      read++;
      onEvent({ seq, payload: JSON.parse(payload) as unknown });
    }
    if (rows.length < pageSize) return read;
    after = rows[rows.length - 1]![0];
  }
}

/** A raw contender's own file: opened with the pragmas both sides run with, the adapter's table made by hand. */
export function openRawEvents(file: string, synchronous: 'FULL' | 'NORMAL'): SqliteDatabase {
  const db = new Database(file);
  setPragmas(db, synchronous);
  createEventsTable(db);
  return db;
}
