// A short run of the SQLite append scenarios of issue 12 (group commit, one caller, appendMany) on the real
// harness, with fewer ops and rounds than `pnpm bench --only sqlite`, for a busy machine:
//   node --expose-gc dist/sqlite-group-commit-quick.js [ops] [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@hume/sqlite';
import type Database from 'better-sqlite3';
import { humeAppends } from './hume-contenders.js';
import { freshStream, payload } from './lanes.js';
import { runScenario } from './run-scenario.js';
import type { Contender, Scenario } from './scenario.js';
import { append10, rawGuessingAppender } from './sqlite-append-contenders.js';
import { openRawEvents, RAW_INSERT } from './sqlite-raw.js';

const ops = Number(process.argv[2] ?? 400);
const rounds = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'hume-bench-group-'));

function store(file: string, durability: 'full' | 'normal'): { get: () => SqliteEventStore; life: Pick<Contender, 'setup' | 'teardown'> } {
  let opened: SqliteEventStore | undefined;
  return {
    get: () => opened!,
    life: {
      async setup() {
        opened = new SqliteEventStore(join(dir, file), { durability });
      },
      async teardown() {
        await opened?.close();
      },
    },
  };
}

function rawInsert(name: string, file: string, synchronous: 'FULL' | 'NORMAL'): Contender {
  let db: Database.Database | undefined;
  let insert: Database.Statement | undefined;
  let seq = 0;
  return {
    name,
    async setup() {
      db = openRawEvents(join(dir, file), synchronous);
      insert = db.prepare(RAW_INSERT);
    },
    async run(n) {
      for (let i = 0; i < n; i++) insert!.run('s', ++seq, JSON.stringify(payload));
    },
    async teardown() {
      db?.close();
    },
  };
}

const scenarios: Scenario[] = [];
for (const durability of ['full', 'normal'] as const) {
  const sync = durability === 'full' ? 'FULL' : 'NORMAL';
  const one = store(`one-${durability}.db`, durability);
  scenarios.push({
    name: `one caller, one append at a time (synchronous=${sync})`,
    unit: 'append',
    ops: durability === 'full' ? ops : ops * 10,
    rounds,
    contenders: [
      { ...humeAppends('adapter', one.get, 1), ...one.life },
      rawGuessingAppender("raw, the adapter's statement", join(dir, `raw-same-${durability}.db`), sync),
      append10('1.0 append path', join(dir, `v10-${durability}.db`), sync),
    ],
    targets: [
      { numerator: 'adapter', denominator: "raw, the adapter's statement", min: 0.95 },
      { numerator: 'adapter', denominator: '1.0 append path', min: 0.97 },
    ],
  });
}
const writers = store('writers.db', 'full');
scenarios.push({
  name: '8 callers through one store on 8 streams (synchronous=FULL)',
  unit: 'append',
  ops,
  rounds,
  contenders: [
    { ...humeAppends('adapter, 8 callers', writers.get, 8), ...writers.life },
    rawInsert('raw INSERT, one transaction per append', 'raw-writers.db', 'FULL'),
    append10('1.0 append path, 8 callers', join(dir, 'v10-writers.db'), 'FULL', 8),
  ],
  targets: [
    { numerator: 'adapter, 8 callers', denominator: 'raw INSERT, one transaction per append', min: 5 },
    { numerator: 'adapter, 8 callers', denominator: '1.0 append path, 8 callers' },
  ],
});
const many = store('many.db', 'full');
const batch = Array.from({ length: 100 }, () => payload);
scenarios.push({
  name: 'appendMany of 100 against 100 awaited appends (synchronous=FULL)',
  unit: 'event',
  ops: ops * 10,
  rounds,
  contenders: [
    {
      name: 'appendMany(100)',
      ...many.life,
      async run(n) {
        const stream = freshStream('many');
        for (let i = 0; i < n; i += 100) {
          const result = await many.get().appendMany(stream, batch.slice(0, Math.min(100, n - i)));
          if (!result.ok) throw result.error;
        }
      },
    },
    humeAppends('100 awaited appends', many.get, 1),
  ],
  targets: [{ numerator: 'appendMany(100)', denominator: '100 awaited appends', min: 20 }],
});

try {
  for (const scenario of scenarios) {
    const result = await runScenario(scenario);
    console.log(`${result.name} (${result.ops} ${result.unit}s per round, ${rounds} rounds)`);
    for (const c of result.contenders)
      console.log(`  ${c.name.padEnd(40)} ${Math.round(c.opsPerSecond).toLocaleString('en-US')} ${result.unit}s/s`);
    for (const r of result.ratios)
      console.log(
        `  ${r.numerator} / ${r.denominator}: ${r.ratio.toFixed(2)} ×${r.min === undefined ? '' : ` (target ≥ ${r.min}: ${r.met ? 'met' : 'missed'})`}`,
      );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
