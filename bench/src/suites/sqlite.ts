import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import type { Contender, Scenario, Suite } from '../scenario.js';
import { createEventsTable, fillStream, readRawPages, setPragmas } from '../sqlite-raw.js';

const payload = { type: 'item-added', sku: 'sku-123', quantity: 2, price: { amount: 1999, currency: 'EUR' } };
const pageSize = 512;
const run = promisify(execFile);

/**
 * Raw better-sqlite3 against @hume/sqlite on the same schema and pragmas
 * (WAL, busy_timeout 5000, the same synchronous), each on its own file in
 * one temp folder: appends one transaction each, a long read, and the cost
 * of appending to a long stream. The raw side gets the best case: seqs
 * counted in JS, no awaits, no argument checks.
 */
const suite: Suite = {
  name: 'sqlite',
  async scenarios({ smoke }) {
    dir = mkdtempSync(join(tmpdir(), 'hume-bench-sqlite-'));
    const longLength = smoke ? 2_000 : 1_000_000;
    const longFile = join(dir, 'long.db');
    await new SqliteEventStore(longFile).close();
    const db = new Database(longFile);
    fillStream(db, 'long', longLength, payload);
    db.close();

    const rounds = smoke ? 1 : 9;
    return [
      // Syncs to disk vary a lot on a shared machine: more, shorter rounds give a steadier median.
      appendScenario('full', smoke ? 20 : 3_000, smoke ? 1 : 15),
      appendScenario('normal', smoke ? 20 : 20_000, smoke ? 1 : 15),
      readScenario(longFile, longLength, smoke ? 1 : 7),
      longStreamScenario(longFile, longLength, smoke ? 20 : 20_000, rounds),
    ];
  },
  async close() {
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};

let dir: string | undefined;
const folder = (): string => dir ?? '';

function appendScenario(durability: 'full' | 'normal', ops: number, rounds: number): Scenario {
  const synchronous = durability === 'full' ? 'FULL' : 'NORMAL';
  const raw = `raw INSERT, ${synchronous}`;
  const adapter = `@hume/sqlite, ${durability}`;
  const expecting = `@hume/sqlite + expect, ${durability}`;
  return {
    name: `sqlite: append, one transaction per event (synchronous=${synchronous})`,
    unit: 'append',
    ops,
    rounds,
    contenders: [
      rawAppender(raw, join(folder(), `raw-${durability}.db`), synchronous),
      adapterAppender(adapter, durability, false),
      adapterAppender(expecting, durability, true),
    ],
    targets: [
      { numerator: adapter, denominator: raw, min: 0.9 },
      { numerator: expecting, denominator: raw, min: 0.9 },
    ],
  };
}

function rawAppender(name: string, file: string, synchronous: 'FULL' | 'NORMAL'): Contender {
  let db: Database.Database | undefined;
  let insert: Database.Statement | undefined;
  let seq = 0;
  return {
    name,
    async setup() {
      db = new Database(file);
      setPragmas(db, synchronous);
      createEventsTable(db);
      insert = db.prepare('INSERT INTO hume_events (stream, seq, payload) VALUES (?, ?, ?)');
    },
    async run(ops) {
      for (let i = 0; i < ops; i++) insert!.run('s', ++seq, JSON.stringify(payload));
    },
    async teardown() {
      db?.close();
    },
  };
}

function adapterAppender(name: string, durability: 'full' | 'normal', withExpect: boolean): Contender {
  let store: SqliteEventStore | undefined;
  let seq = 0;
  return {
    name,
    async setup() {
      store = new SqliteEventStore(join(folder(), `adapter-${durability}-${withExpect ? 'expect' : 'free'}.db`), { durability });
    },
    async run(ops) {
      for (let i = 0; i < ops; i++) {
        const result = await store!.append('s', payload, withExpect ? seq : undefined);
        if (!result.ok) throw result.error;
        seq = result.seq;
      }
    },
    async teardown() {
      await store?.close();
    },
  };
}

function readScenario(file: string, length: number, rounds: number): Scenario {
  const raw = 'raw keyset pages + JSON.parse';
  const adapter = '@hume/sqlite events()';
  let db: Database.Database | undefined;
  let store: SqliteEventStore | undefined;
  return {
    name: `sqlite: read of a ${length.toLocaleString('en-US')}-event stream (pages of ${pageSize})`,
    unit: 'event read',
    ops: length,
    rounds,
    contenders: [
      {
        name: raw,
        async setup() {
          db = new Database(file);
          setPragmas(db, 'FULL');
        },
        async run(ops) {
          let last = 0;
          readRawPages(db!, 'long', pageSize, ops, (event) => {
            last = event.seq;
          });
          if (last !== ops) throw new Error(`the raw read ended at seq ${last}, not ${ops}`);
        },
        async teardown() {
          db?.close();
        },
      },
      {
        name: adapter,
        async setup() {
          store = new SqliteEventStore(file, { pageSize });
        },
        async run(ops) {
          let last = 0;
          for await (const event of store!.events('long')) {
            last = event.seq;
            if (last === ops) break;
          }
          if (last !== ops) throw new Error(`the adapter's read ended at seq ${last}, not ${ops}`);
        },
        async teardown() {
          await store?.close();
          await printPeakRss(file, length);
        },
      },
    ],
    targets: [{ numerator: adapter, denominator: raw, min: 0.9 }],
  };
}

/** Each read alone in a fresh process, which reports process.resourceUsage().maxRSS when done. */
async function printPeakRss(file: string, length: number): Promise<void> {
  const script = fileURLToPath(new URL('../sqlite-read-rss.js', import.meta.url));
  const lines = [`sqlite: peak RSS of a whole read of ${length.toLocaleString('en-US')} events, each in a process of its own`];
  for (const [mode, label] of [
    ['open', 'open the file, read nothing'],
    ['raw', 'raw keyset pages + JSON.parse'],
    ['adapter', '@hume/sqlite events()'],
  ] as const) {
    const { stdout } = await run(process.execPath, [script, mode, file, 'long', String(pageSize)]);
    const report = JSON.parse(stdout) as { events: number; maxRssBytes: number };
    lines.push(
      `  ${label.padEnd(32)} ${(report.maxRssBytes / 2 ** 20).toFixed(1).padStart(7)} MiB peak RSS (${report.events.toLocaleString('en-US')} events)`,
    );
  }
  console.log(lines.join('\n'));
}

function longStreamScenario(longFile: string, length: number, ops: number, rounds: number): Scenario {
  const atZero = '@hume/sqlite, stream at 0';
  const atZeroEmpty = '… at 0, in an empty file';
  const atLong = `@hume/sqlite, stream at ${length.toLocaleString('en-US')}`;
  let empty: SqliteEventStore | undefined;
  let long: SqliteEventStore | undefined;
  let runs = 0;
  return {
    name: `sqlite: append cost at stream length ${length.toLocaleString('en-US')} vs 0 (synchronous=NORMAL, so that disk syncs do not hide it)`,
    unit: 'append',
    ops,
    rounds,
    contenders: [
      {
        name: atZero,
        async setup() {
          long = new SqliteEventStore(longFile, { durability: 'normal' });
        },
        async run(n) {
          // A new stream every run, so each starts at length 0, beside the long one in the same file.
          const stream = `fresh-${++runs}`;
          for (let i = 0; i < n; i++) await long!.append(stream, payload);
        },
      },
      {
        name: atLong,
        async run(n) {
          for (let i = 0; i < n; i++) await long!.append('long', payload);
        },
        async teardown() {
          await long?.close();
        },
      },
      {
        name: atZeroEmpty,
        async setup() {
          empty = new SqliteEventStore(join(folder(), 'empty.db'), { durability: 'normal' });
        },
        async run(n) {
          const stream = `fresh-${++runs}`;
          for (let i = 0; i < n; i++) await empty!.append(stream, payload);
        },
        async teardown() {
          await empty?.close();
        },
      },
    ],
    // Throughput at 0 over throughput at 1,000,000 is the cost at 1,000,000 over the cost at 0. The first pair
    // differs in stream length only; the second also in the size of the file (a deeper B-tree).
    targets: [
      { numerator: atZero, denominator: atLong, max: 1.2 },
      { numerator: atZeroEmpty, denominator: atLong, max: 1.2 },
    ],
  };
}

export default suite;
