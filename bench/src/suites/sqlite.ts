import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SqliteEventStore } from '@hume/sqlite';
import Database from 'better-sqlite3';
import { emmettAppends, emmettFill, emmettFirstEvent } from '../emmett-contenders.js';
import type { EmmettSqlite } from '../emmett-sqlite.js';
import { type ForkedContender, forkedContender } from '../forked-contender.js';
import { humeAppends, humeFirstEvent, humeRacingWithExpect } from '../hume-contenders.js';
import { freshStream, payload } from '../lanes.js';
import { BUILD_PEERS, sqlite3Missing } from '../native-peers.js';
import type { Contender, Notes, Scenario, Suite } from '../scenario.js';
import { append10, rawGroupAppender, rawGuessingAppender } from '../sqlite-append-contenders.js';
import { fillStream, openRawEvents, RAW_INSERT, readRawPages, setPragmas } from '../sqlite-raw.js';

const pageSize = 512;
const EMMETT = 'emmett-sqlite';
const LANES = 8;
const run = promisify(execFile);
const emmettChild = fileURLToPath(new URL('../emmett-sqlite-child.js', import.meta.url));

/**
 * Raw better-sqlite3 against @hume/sqlite on the same schema and pragmas
 * (WAL, busy_timeout 5000, the same synchronous), each on its own file in
 * one temp folder: appends one transaction each, a long read, and the cost
 * of appending to a long stream. The raw side gets the best case: seqs
 * counted in JS, no awaits, no argument checks.
 */
const suite: Suite = {
  name: 'sqlite',
  async scenarios({ smoke, skipNativePeers = false }) {
    dir = mkdtempSync(join(tmpdir(), 'hume-bench-sqlite-'));
    const missing = skipNativePeers
      ? 'left out by --skip-native-peers'
      : sqlite3Missing() && `its native module sqlite3 is not built (${BUILD_PEERS} builds it)`;
    if (missing) console.log(`${EMMETT}: not run, ${missing}\n`);
    const longLength = smoke ? 2_000 : 1_000_000;
    const longFile = join(dir, 'long.db');
    await new SqliteEventStore(longFile).close();
    const db = new Database(longFile);
    fillStream(db, 'long', longLength, payload);
    db.close();

    // Streams of 10k and 100k events beside the long one, and the same two in Emmett's file,
    // written through its API (its readStream returns a whole stream as one array).
    const lengths = smoke ? [100, 1_000] : [10_000, 100_000];
    const mid = lengths[1]!;
    const filler = new Database(longFile);
    for (const length of lengths) fillStream(filler, `len-${length}`, length, payload);
    filler.close();
    emmettFile = join(dir, 'emmett.db');
    if (!missing) {
      const { openEmmettSqlite } = await import('../emmett-sqlite.js');
      const emmett = await openEmmettSqlite(emmettFile, 'NORMAL');
      for (const length of lengths) await emmettFill(emmett.store, `len-${length}`, length);
      emmett.close();
    }

    const rounds = smoke ? 1 : 9;
    const scenarios = [
      // Syncs to disk vary a lot on a shared machine: more, shorter rounds give a steadier median.
      appendScenario('full', smoke ? 20 : 3_000, smoke ? 1 : 15),
      appendScenario('normal', smoke ? 20 : 20_000, smoke ? 1 : 15),
      writersScenario(smoke ? 16 : 3_000, smoke ? 1 : 9),
      appendManyScenario(smoke ? 200 : 20_000, smoke ? 1 : 7),
      racingScenario(false, smoke ? 16 : 3_000, smoke ? 1 : 9),
      racingScenario(true, smoke ? 16 : 1_000, smoke ? 1 : 9),
      readScenario(longFile, longLength, smoke ? 1 : 7),
      emmettReadScenario(longFile, mid, smoke ? 1 : 5),
      // 5,000 a round, not 20,000: Emmett's appends take ~0.5 ms each and six of the contenders are its or at 10k/100k.
      longStreamScenario(longFile, longLength, lengths, smoke ? 20 : 5_000, rounds),
      firstEventScenario(longFile, longLength, mid, smoke ? 1 : 7),
    ];
    return missing ? withoutEmmett(scenarios, missing) : scenarios;
  },
  async close() {
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};

let emmettFile = '';

/**
 * The scenarios without Emmett's contenders and the ratios that need them,
 * saying why in their notes; a scenario left with one contender (Emmett's
 * read beside ours) is dropped.
 */
function withoutEmmett(scenarios: readonly Scenario[], reason: string): Scenario[] {
  const isEmmett = (name: string): boolean => name.startsWith(EMMETT);
  return scenarios.flatMap((scenario): Scenario[] => {
    const contenders = scenario.contenders.filter((contender) => !isEmmett(contender.name));
    if (contenders.length === scenario.contenders.length) return [scenario];
    if (contenders.length < 2) return [];
    const notes = scenario.notes;
    return [
      {
        ...scenario,
        contenders,
        targets: scenario.targets?.filter((target) => !isEmmett(target.numerator) && !isEmmett(target.denominator)) ?? [],
        notes: async () => ({ ...(await notes?.()), emmett: `not run: ${reason}` }),
      },
    ];
  });
}

/** Emmett's SQLite store on its own file (filled with the 10k and 100k streams), opened in setup, closed in teardown. */
function emmettOn(durability: 'full' | 'normal'): {
  store: () => EmmettSqlite['store'];
  setup(): Promise<void>;
  teardown(): Promise<void>;
  settings(): string;
} {
  let opened: EmmettSqlite | undefined;
  return {
    store: () => opened!.store,
    async setup() {
      const { openEmmettSqlite } = await import('../emmett-sqlite.js');
      opened = await openEmmettSqlite(emmettFile, durability === 'full' ? 'FULL' : 'NORMAL');
    },
    async teardown() {
      opened?.close();
    },
    settings: () => opened?.settings ?? '',
  };
}

/**
 * Emmett's appends from `writers` concurrent loops (to `stream`, or each to
 * fresh streams of its own) at synchronous=FULL on its one shared connection,
 * in a child process: there they now and then throw, uncaught, from inside
 * node-sqlite3 (seen once: `SQLITE_BUSY: cannot commit transaction - SQL
 * statements in progress`), which in this process would end the whole suite.
 * In the child it ends only the child, and the scenario reports Emmett as not
 * run, with the error, instead of a figure.
 */
function emmettWritersInChild(name: string, writers: number, stream?: string): ForkedContender {
  return forkedContender(name, emmettChild, [name, emmettFile, 'FULL', String(writers), freshStream('emmett'), stream ?? '']);
}

/** A Hume SQLite store opened in setup and closed in teardown. */
function humeOn(
  file: string,
  durability: 'full' | 'normal',
): { store: () => SqliteEventStore; setup(): Promise<void>; teardown(): Promise<void> } {
  let opened: SqliteEventStore | undefined;
  return {
    store: () => opened!,
    async setup() {
      opened = new SqliteEventStore(file, { durability });
    },
    async teardown() {
      await opened?.close();
    },
  };
}

/** A contender with the open and close of a store around it. */
function around(life: { setup(): Promise<void>; teardown(): Promise<void> }, contender: Contender): Contender {
  return { ...contender, setup: () => life.setup(), teardown: () => life.teardown() };
}

function writersScenario(ops: number, rounds: number): Scenario {
  const hume = humeOn(join(folder(), 'writers.db'), 'full');
  // Emmett's default, a connection per call, fails here with SQLITE_BUSY and then "cannot rollback - no
  // transaction is active" (uncaught); on its one shared connection concurrent appends nest into one transaction.
  const emmett = emmettWritersInChild(`${EMMETT}, FULL`, LANES);
  return {
    name: `sqlite: append, ${LANES} writers on ${LANES} streams (synchronous=FULL)`,
    unit: 'append',
    ops,
    rounds,
    contenders: [
      around(hume, humeAppends('@hume/sqlite, full', hume.store, LANES)),
      rawAppender('raw INSERT, FULL, one transaction per append', join(folder(), 'writers-raw.db'), 'FULL'),
      append10('@hume/sqlite 1.0 append path, FULL', join(folder(), 'writers-1.0.db'), 'FULL', LANES),
      rawGroupAppender(GROUP_CEILING, join(folder(), 'writers-group.db'), 'FULL', LANES),
      emmett,
    ],
    // Group commit: the appends of the 8 writers that arrive in one turn share a transaction and its sync.
    targets: [
      { numerator: '@hume/sqlite, full', denominator: 'raw INSERT, FULL, one transaction per append', min: 5 },
      { numerator: '@hume/sqlite, full', denominator: '@hume/sqlite 1.0 append path, FULL' },
      { numerator: '@hume/sqlite, full', denominator: `${EMMETT}, FULL`, min: 2 },
      // What the disk leaves for group commit: the SQL of a group of 8, sent by hand.
      { numerator: GROUP_CEILING, denominator: 'raw INSERT, FULL, one transaction per append' },
      { numerator: '@hume/sqlite, full', denominator: GROUP_CEILING },
    ],
    notes: () => ({ emmett: `${emmett.settings()}, one shared connection (concurrent appends share its transaction)` }),
  };
}

function racingScenario(withExpect: boolean, ops: number, rounds: number): Scenario {
  const hume = humeOn(join(folder(), `race-${withExpect}.db`), 'full');
  const stream = freshStream('race');
  const emmett = emmettWritersInChild(`${EMMETT}, FULL`, LANES, stream);
  return {
    name: `sqlite: append, ${LANES} writers racing on one stream ${withExpect ? 'with expect (a conflict re-reads and retries)' : 'without expect'} (synchronous=FULL)`,
    unit: 'append',
    ops,
    rounds,
    // Emmett is left out with expect: a conflict rolls back the transaction its concurrent appends share, and
    // the others then fail with an uncaught "SQLITE_ERROR: cannot commit - no transaction is active".
    contenders: withExpect
      ? [around(hume, humeRacingWithExpect('@hume/sqlite, full', hume.store, LANES))]
      : [around(hume, humeAppends('@hume/sqlite, full', hume.store, LANES, stream)), emmett],
    targets: withExpect ? [] : [{ numerator: '@hume/sqlite, full', denominator: `${EMMETT}, FULL`, min: 2 }],
    notes: () =>
      withExpect
        ? { emmett: 'not run: its concurrent appends on one connection share a transaction, which a conflict rolls back' }
        : { emmett: `${emmett.settings()}, one shared connection (concurrent appends share its transaction)` },
  };
}

/** appendMany of 100 events against the same events appended one awaited call at a time, on the default durability. */
function appendManyScenario(ops: number, rounds: number): Scenario {
  const hume = humeOn(join(folder(), 'many.db'), 'full');
  const batch = Array.from({ length: 100 }, () => payload);
  const many = '@hume/sqlite appendMany of 100, full';
  const single = '@hume/sqlite 100 awaited appends, full';
  return {
    name: 'sqlite: appendMany of 100 events against 100 awaited appends (synchronous=FULL)',
    unit: 'appended event',
    ops,
    rounds,
    contenders: [
      around(hume, {
        name: many,
        async run(events) {
          const stream = freshStream('many');
          for (let i = 0; i < events; i += 100) {
            const result = await hume.store().appendMany(stream, batch.slice(0, Math.min(100, events - i)));
            if (!result.ok) throw result.error;
          }
        },
      }),
      humeAppends(single, hume.store, 1),
    ],
    targets: [{ numerator: many, denominator: single, min: 20 }],
  };
}

let dir: string | undefined;
const folder = (): string => dir ?? '';

function appendScenario(durability: 'full' | 'normal', ops: number, rounds: number): Scenario {
  const synchronous = durability === 'full' ? 'FULL' : 'NORMAL';
  const raw = `raw INSERT, ${synchronous}`;
  const sameStatement = `raw, the adapter's statement, ${synchronous}`;
  const path10 = `@hume/sqlite 1.0 append path, ${synchronous}`;
  const adapter = `@hume/sqlite, ${durability}`;
  const expecting = `@hume/sqlite + expect, ${durability}`;
  const peer = `${EMMETT}, ${synchronous}`;
  const emmett = emmettOn(durability);
  return {
    name: `sqlite: append, one transaction per event (synchronous=${synchronous})`,
    unit: 'append',
    ops,
    rounds,
    contenders: [
      rawAppender(raw, join(folder(), `raw-${durability}.db`), synchronous),
      rawGuessingAppender(sameStatement, join(folder(), `raw-guessing-${durability}.db`), synchronous),
      append10(path10, join(folder(), `append-1.0-${durability}.db`), synchronous),
      adapterAppender(adapter, durability, false),
      adapterAppender(expecting, durability, true),
      around(emmett, emmettAppends(peer, emmett.store, 1)),
    ],
    targets: [
      { numerator: adapter, denominator: raw, min: 0.9 },
      { numerator: adapter, denominator: sameStatement, min: 0.95 },
      { numerator: adapter, denominator: path10, min: 0.97 },
      { numerator: expecting, denominator: raw, min: 0.9 },
      { numerator: adapter, denominator: peer, min: 2 },
    ],
    notes: () => ({ hume: `synchronous=${synchronous}, journal_mode=wal`, emmett: emmett.settings() }),
  };
}

const GROUP_CEILING = `raw, ${LANES} appends per transaction (a group's SQL by hand), FULL`;

function rawAppender(name: string, file: string, synchronous: 'FULL' | 'NORMAL'): Contender {
  let db: Database.Database | undefined;
  let insert: Database.Statement | undefined;
  let seq = 0;
  return {
    name,
    async setup() {
      db = openRawEvents(file, synchronous);
      insert = db.prepare(RAW_INSERT);
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
        },
      },
    ],
    targets: [{ numerator: adapter, denominator: raw, min: 0.9 }],
    notes: () => wholeReadPeaks(file, length),
  };
}

/** Each read alone in a fresh process, which reports process.resourceUsage().maxRSS when done. */
async function wholeReadPeaks(file: string, length: number): Promise<Notes> {
  const script = fileURLToPath(new URL('../sqlite-read-rss.js', import.meta.url));
  const notes: Record<string, number> = {};
  for (const [mode, label] of [
    ['open', 'open the file, read nothing'],
    ['raw', 'raw keyset pages + JSON.parse'],
    ['adapter', '@hume/sqlite events()'],
  ] as const) {
    const { stdout } = await run(process.execPath, [script, mode, file, 'long', String(pageSize)]);
    const report = JSON.parse(stdout) as { events: number; maxRssBytes: number };
    if (mode !== 'open' && report.events !== length) throw new Error(`${label} read ${report.events} events, expected ${length}`);
    notes[`${label}: peak RSS MiB`] = Math.round((report.maxRssBytes / 2 ** 20) * 10) / 10;
  }
  return notes;
}

function emmettReadScenario(longFile: string, length: number, rounds: number): Scenario {
  const hume = humeOn(longFile, 'full');
  const emmett = emmettOn('full');
  const stream = `len-${length}`;
  return {
    name: `sqlite: read a ${length.toLocaleString('en-US')}-event stream (the size Emmett is given)`,
    unit: 'event read',
    ops: length,
    rounds,
    contenders: [
      around(hume, {
        name: '@hume/sqlite events()',
        async run() {
          let read = 0;
          for await (const event of hume.store().events(stream)) if (event.payload !== null) read++;
          if (read !== length) throw new Error(`@hume/sqlite read ${read} events, expected ${length}`);
        },
      }),
      around(emmett, {
        name: `${EMMETT} readStream`,
        async run() {
          const { events } = await emmett.store().readStream(stream);
          if (events.length !== length) throw new Error(`${EMMETT} read ${events.length} events, expected ${length}`);
        },
      }),
    ],
    targets: [{ numerator: '@hume/sqlite events()', denominator: `${EMMETT} readStream`, min: 1 }],
    notes: async () => ({
      '@hume/sqlite peak RSS MiB': await peakRss('adapter', longFile, stream),
      [`${EMMETT} peak RSS MiB`]: await peakRss('emmett', emmettFile, stream),
    }),
  };
}

function firstEventScenario(longFile: string, longLength: number, length: number, rounds: number): Scenario {
  const hume = humeOn(longFile, 'full');
  const emmett = emmettOn('full');
  const long = `@hume/sqlite, ${longLength.toLocaleString('en-US')} events`;
  const mid = `@hume/sqlite, ${length.toLocaleString('en-US')} events`;
  const peer = `${EMMETT}, ${length.toLocaleString('en-US')} events`;
  return {
    name: 'sqlite: time to first event of a long stream',
    unit: 'first event',
    ops: 1,
    rounds,
    contenders: [
      around(hume, humeFirstEvent(long, hume.store, 'long')),
      humeFirstEvent(mid, hume.store, `len-${length}`),
      around(emmett, emmettFirstEvent(peer, emmett.store, `len-${length}`)),
    ],
    targets: [{ numerator: mid, denominator: peer, min: 2 }],
  };
}

/** One whole read in a fresh process: its peak RSS in MiB. */
async function peakRss(mode: 'adapter' | 'emmett', file: string, stream: string): Promise<number> {
  const script = fileURLToPath(new URL('../sqlite-read-rss.js', import.meta.url));
  const { stdout } = await run(process.execPath, [script, mode, file, stream, String(pageSize)]);
  return Math.round(((JSON.parse(stdout) as { maxRssBytes: number }).maxRssBytes / 2 ** 20) * 10) / 10;
}

function longStreamScenario(longFile: string, length: number, lengths: readonly number[], ops: number, rounds: number): Scenario {
  const atZero = '@hume/sqlite, stream at 0';
  const atZeroEmpty = '… at 0, in an empty file';
  const atLong = `@hume/sqlite, stream at ${length.toLocaleString('en-US')}`;
  let empty: SqliteEventStore | undefined;
  let long: SqliteEventStore | undefined;
  let runs = 0;
  const emmett = emmettOn('normal');
  const at = (n: number): string => n.toLocaleString('en-US');
  return {
    name: `sqlite: append cost at stream lengths 0, ${lengths.map((n) => n.toLocaleString('en-US')).join(', ')} and ${length.toLocaleString('en-US')} (synchronous=NORMAL, so that disk syncs do not hide it)`,
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
      ...lengths.map(
        (n): Contender => ({
          name: `@hume/sqlite, stream at ${at(n)}`,
          async run(count) {
            for (let i = 0; i < count; i++) await long!.append(`len-${n}`, payload);
          },
        }),
      ),
      around(emmett, emmettAppends(`${EMMETT}, stream at 0`, emmett.store, 1)),
      ...lengths.map((n) => emmettAppends(`${EMMETT}, stream at ${at(n)}`, emmett.store, 1, `len-${n}`)),
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
      ...lengths.map((n) => ({ numerator: `@hume/sqlite, stream at ${at(n)}`, denominator: `${EMMETT}, stream at ${at(n)}`, min: 2 })),
    ],
    notes: () => ({ emmett: emmett.settings() }),
  };
}

export default suite;
