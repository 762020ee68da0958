import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

export const databaseUrl = inject('databaseUrl');

/** A PostgreSQL URL for a schema of this run's own (dropped by the global teardown on a shared server). */
export function postgresUrl(label: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('schema', `${inject('schemaPrefix')}_${label}`);
  return url.href;
}

/** A temp folder for this test file, removed after it. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hume-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A SQLite store file with `streams` streams of `perStream` events each:
 * the store creates its tables, then the rows go in with plain SQL in one
 * transaction (a fixture; appending 100,000 events one by one would take the
 * test's time for nothing).
 */
export async function sqliteFixture(file: string, streams: number, perStream: number): Promise<void> {
  await new SqliteEventStore(file).close();
  const db = new Database(file);
  // position: the global feed's order, max(position) + 1 per append, as the adapter writes it.
  const insert = db.prepare('INSERT INTO hume_events (stream, seq, payload, position) VALUES (?, ?, ?, ?)');
  let position = 0;
  db.transaction(() => {
    for (let s = 0; s < streams; s++) {
      for (let seq = 1; seq <= perStream; seq++) {
        insert.run(`stream-${String(s).padStart(4, '0')}`, seq, JSON.stringify({ s, seq, note: 'x'.repeat(40) }), ++position);
      }
    }
  })();
  db.close();
}

/** Runs SQL on the test PostgreSQL. */
export async function query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Each stream's last seq in a PostgreSQL schema, read from its events table. */
export async function lastSeqs(url: string): Promise<Map<string, number>> {
  const schema = new URL(url).searchParams.get('schema');
  const rows = await query<{ stream: string; last: string }>(
    `SELECT stream, max(seq)::text AS last FROM "${schema}".hume_events GROUP BY stream`,
  );
  return new Map(rows.map((row) => [row.stream, Number(row.last)]));
}
