import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type PostgresServer, startPostgres } from '../../../packages/postgres/scripts/postgres-server.mjs';
import type { Contender, Notes, Suite } from '../scenario.js';

const STREAMS = 1_000;
const PER_STREAM = 1_000;
const child = fileURLToPath(new URL('../copy-child.js', import.meta.url));

let server: PostgresServer | undefined;
let databaseUrl = '';
let dir = '';

/**
 * Streams s-000…s-999 hold `perStream` events each; a round copies the streams
 * of one name prefix: all of them, or the first 100, 10 or 1 (the nearest to
 * `ops` events). Both contenders copy the same streams, so their ratio holds
 * even when `events` is not exactly `ops` (a warm-up round, --smoke).
 */
function selection(ops: number, perStream: number): { prefix: string; events: number } {
  const streams = Math.max(1, Math.round(ops / perStream));
  if (streams >= STREAMS) return { prefix: 's-', events: STREAMS * perStream };
  if (streams >= 100) return { prefix: 's-0', events: 100 * perStream };
  if (streams >= 10) return { prefix: 's-00', events: 10 * perStream };
  return { prefix: 's-000', events: perStream };
}

async function runChild(args: string[]): Promise<{ events: number; maxRssBytes: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, [child, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { events: number; maxRssBytes: number };
}

/** The peak RSS of a contender's runs, for the printout. */
function rssNotes(peaks: number[]): Notes {
  return peaks.length === 0 ? {} : { peakRssMiB: Math.round(Math.max(...peaks) / 2 ** 20) };
}

/**
 * `hume copy` SQLite → PostgreSQL against the raw drivers doing the same
 * move: better-sqlite3 reading the rows in key order and `pg` inserting them
 * 1,000 rows per statement. Each run copies into a fresh schema (hume) or
 * table (raw), in a child process that reports its peak RSS. A million
 * events is long, so the suite runs only when asked: `pnpm bench --only copy`.
 */
const suite: Suite = {
  name: 'copy',
  optIn: true,
  async scenarios({ smoke }) {
    dir = mkdtempSync(join(tmpdir(), 'hume-bench-copy-'));
    const file = join(dir, 'source.db');
    await new SqliteEventStore(file).close();
    const db = new Database(file);
    // position: the global feed's order, as the adapter writes it (max + 1 per append).
    const insert = db.prepare('INSERT INTO hume_events (stream, seq, payload, position) VALUES (?, ?, ?, ?)');
    let position = 0;
    const perStream = smoke ? 10 : PER_STREAM;
    db.transaction(() => {
      for (let s = 0; s < STREAMS; s++) {
        const stream = `s-${String(s).padStart(3, '0')}`;
        for (let seq = 1; seq <= perStream; seq++)
          insert.run(stream, seq, JSON.stringify({ type: 'item-added', sku: `sku-${seq}`, qty: 1, stream }), ++position);
      }
    })();
    db.close();
    if (process.env.DATABASE_URL) databaseUrl = process.env.DATABASE_URL;
    else {
      server = await startPostgres({});
      databaseUrl = server.url;
    }
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const run = randomBytes(3).toString('hex');
    let round = 0;
    const humePeaks: number[] = [];
    const rawPeaks: number[] = [];
    const schemas: string[] = [];
    const hume: Contender = {
      name: 'hume copy (CLI engine, appendMany)',
      async run(ops) {
        const schema = `hume_bench_copy_${run}_${++round}`;
        schemas.push(schema);
        const url = new URL(databaseUrl);
        url.searchParams.set('schema', schema);
        const chosen = selection(ops, perStream);
        const { events, maxRssBytes } = await runChild(['hume', file, url.href, chosen.prefix]);
        if (events !== chosen.events) throw new Error(`hume copied ${events} events, expected ${chosen.events}`);
        humePeaks.push(maxRssBytes);
      },
      notes: () => rssNotes(humePeaks),
    };
    const raw: Contender = {
      name: 'raw better-sqlite3 → pg, 1,000-row INSERTs',
      async run(ops) {
        const schema = `hume_bench_copy_${run}_${++round}`;
        schemas.push(schema);
        await admin.query(`CREATE SCHEMA "${schema}"`);
        const table = `"${schema}".raw_events`;
        // The same row as Hume's events table, feed columns and index included, without its counter table.
        await admin.query(`CREATE TABLE ${table} (stream text NOT NULL, seq bigint NOT NULL, payload json NOT NULL,
          payload_bytes integer NOT NULL GENERATED ALWAYS AS (octet_length(payload::text)) STORED,
          recorded_at timestamptz NOT NULL DEFAULT now(), tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
          position bigint NOT NULL GENERATED ALWAYS AS IDENTITY, PRIMARY KEY (stream, seq))`);
        await admin.query(`CREATE INDEX ON ${table} (tx, position)`);
        await admin.query(`CREATE INDEX ON ${table} (stream COLLATE "C", tx, position)`);
        const chosen = selection(ops, perStream);
        const { events, maxRssBytes } = await runChild(['raw', file, databaseUrl, table, chosen.prefix]);
        if (events !== chosen.events) throw new Error(`raw copied ${events} events, expected ${chosen.events}`);
        rawPeaks.push(maxRssBytes);
      },
      async teardown() {
        for (const schema of schemas.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      },
      notes: () => rssNotes(rawPeaks),
    };
    return [
      {
        name: `copy: SQLite → PostgreSQL, ${STREAMS.toLocaleString('en-US')} streams`,
        unit: 'copied event',
        ops: STREAMS * perStream,
        rounds: smoke ? 1 : 3,
        contenders: [raw, hume],
        targets: [{ numerator: hume.name, denominator: raw.name, min: 0.8 }],
        notes: () => ({ server: server ? 'embedded PostgreSQL, default (durable) settings' : 'DATABASE_URL' }),
      },
    ];
  },
  async close() {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};

export default suite;
