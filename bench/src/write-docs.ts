// Rewrites docs/benchmarks.md and docs/benchmarks.svg from the JSON of a run:
//   node dist/write-docs.js results/benchmarks.json [docs folder]
// Everything with a number in it comes from the file; nothing is typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Machine } from './machine.js';
import { type ChartRatio, ratioChart } from './ratio-chart.js';
import type { ScenarioResult } from './run-scenario.js';

interface Run {
  readonly command: string;
  readonly started: string;
  readonly minutes: number;
  readonly smoke: boolean;
  readonly machine: Machine;
  readonly results: readonly ScenarioResult[];
}

const [file = 'results/benchmarks.json', folder] = process.argv.slice(2);
const run = JSON.parse(readFileSync(file, 'utf8')) as Run;
const docs = folder ? pathToFileURL(`${folder}/`) : new URL('../../docs/', import.meta.url);

const int = (n: number): string => (!Number.isFinite(n) ? 'n/a' : n < 100 ? n.toPrecision(2) : Math.round(n).toLocaleString('en-US'));
const perOp = (opsPerSecond: number): string => {
  const ms = 1000 / opsPerSecond;
  return ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
};
const notes = (n?: Readonly<Record<string, number | string>>): string =>
  n
    ? Object.entries(n)
        .map(([key, value]) => `${key}: ${typeof value === 'number' ? Number(value.toFixed(3)) : value}`)
        .join('; ')
    : '';
const bound = (r: { min?: number; max?: number }): string =>
  r.min !== undefined ? `≥ ${r.min}` : r.max !== undefined ? `≤ ${r.max}` : 'none';
const verdict = (r: { min?: number; max?: number; met: boolean }): string =>
  r.min === undefined && r.max === undefined ? 'for information' : r.met ? 'met' : '**missed**';

const ratios: ChartRatio[] = run.results.flatMap((result) =>
  result.ratios.map((r) => ({
    label: `${result.name.split(':')[0]}: ${r.numerator} / ${r.denominator}${shortName(result.name)}`,
    ratio: r.ratio,
    ...(r.min !== undefined || r.max !== undefined ? { target: (r.min ?? r.max) as number } : {}),
    met: r.met,
  })),
);

/** The scenario in a few words, for a chart label. */
function shortName(name: string): string {
  const rest = name.split(': ')[1] ?? '';
  return ` (${rest.replace(/\s*\(.*$/, '').slice(0, 48)})`;
}

const lines: string[] = [
  '# Benchmarks',
  '',
  '<!-- Written by bench/src/write-docs.ts from bench/results/benchmarks.json: run `pnpm bench:docs`, do not edit by hand. -->',
  '',
  `Hume's adapters beside the raw drivers (the floor) and the nearest TypeScript peer, [Emmett](https://github.com/event-driven-io/emmett), doing the same work through its public API. Every scenario runs its contenders interleaved after one untimed warm-up round each, each round starting one contender later (A B C, B C A, C A B …) so that what one leaves behind (a flush, an autovacuum) falls on each of the others in turn, and after a cycle of rounds in reverse (C B A, B A C, A C B …) so that no contender always follows the same one; figures are medians over the rounds. Each suite (core, feed, memory, postgres, projections, sqlite) runs in a process of its own, so that what one leaves in memory never slows the next one's contenders.${run.smoke ? ' **This file came from a smoke run: the figures measure nothing.**' : ''}`,
  '',
  `- Command: this run is \`${run.command}\` in \`bench/\` (${run.minutes} minutes, started ${run.started}), then \`node dist/write-docs.js\` on its JSON, which is what \`pnpm --filter @hume/bench bench:docs\` does; \`pnpm bench:docs\` from the repository root builds the workspace first, then does the same.`,
  `- Machine: ${run.machine.cores} × ${run.machine.cpu}, ${run.machine.memoryGiB} GiB, ${run.machine.platform}, Node ${run.machine.node}; a shared VM, so expect drift between runs (interleaving makes it hit every contender alike).`,
  `- Versions: ${Object.entries(run.machine.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')}.`,
  '',
  '![Ratios of the run](benchmarks.svg)',
  '',
  '## How the two sides are set up',
  '',
  "- **Durability is the same on both sides and printed in each scenario.** PostgreSQL: one server for everyone (settings in the first scenario's notes; `synchronous_commit=on`, `fsync=on`). SQLite: WAL everywhere; @hume/sqlite `durability: 'full'` is `synchronous=FULL`, and Emmett's connection is set to the same level (read back and printed as `emmett: …`).",
  "- **Emmett SQLite:** one connection for the store's life (Emmett's `connectionOptions: { singleton: true }`), since its default opens a connection per call. Concurrent writers get the same shared connection, where their appends share one transaction: Emmett's default, a connection per call, fails under concurrency (see below). Its contenders in those concurrent scenarios run in a child process of their own, timed from this one around one message per round (so they interleave as before): now and then their appends throw, uncaught, from inside node-sqlite3 (seen once in CI: `SQLITE_BUSY: cannot commit transaction - SQL statements in progress`), which ends only that child; the scenario then shows Emmett as not run, with the error, in its notes, instead of a figure (likewise a child that does not answer within 5 minutes, which is killed).",
  "- **Emmett PostgreSQL:** `getPostgreSQLEventStore(url)` with its own pool, schema migrated before timing, on the same server and database as Hume's tables.",
  "- **Reads and large streams:** Emmett's `readStream` returns a whole stream as one array (its public API has no lazy read of one stream), so Emmett is given streams of 100,000 events, not 1,000,000; its read, first-event and append-cost rows are at that size, beside Hume at the same size. Hume's 1,000,000-event rows are measured too.",
  "- **Peak RSS** is measured by a fresh child process per read (`process.resourceUsage().maxRSS`), so one read's memory never hides another's.",
  '- **Racing with expect:** 8 writers on one stream, each with the last version it knows; on a conflict it re-reads the events after it (as a command handler rebuilding state would) and retries. Retries are in the notes.',
  "- **Ceilings of group commit:** beside the 8-caller rows, the raw driver sends what one group commit of 8 sends, one after the other, with no callers, queue or checks (PostgreSQL: the adapter's statement for one event on each of 8 streams, on one connection; SQLite: a group's SQL by hand, 8 appends per transaction). Its ratio to the target's baseline is what the disk and the statement leave for group commit; the store's ratio to it is what the adapter's per-call work costs.",
  "- **Floors of the feed:** beside each catch-up, the raw driver's same pages made into the events `feed()` yields (the position string, stream, seq and parsed payload) and handed out one `await` each, by a bare iterator with no checks, byte budget or live mode. Its ratio to the raw pages is what the contract's shape costs any store; the store's ratio to it is what the adapter adds.",
  "- **Emmett's feed:** Emmett's PostgreSQL consumer pulls messages with `readMessagesBatch` (after the last global position, ordered by transaction id and global position, below the oldest running transaction) and stores a checkpoint after each message. The catch-up beside it reads the same way with no consumer, so no checkpoints (Hume's feed leaves them to its caller), at a tenth of the events: no index of Emmett's messages table holds that order, so each batch scans and sorts all its messages. In emmett-postgresql 0.42.0 its cursor is the global position alone while it sorts by transaction id first, which issue 13 names as a way to skip or repeat events (a transaction that took a smaller global position but a larger transaction id sorts after the page end and is below the next cursor); the benchmark's events commit in order, so this does not show in it.",
  '',
  '## What could not be measured, and why',
  '',
  "- **Emmett SQLite, 8 writers racing with expect:** not run. Concurrently, on one shared connection, Emmett's appends nest into one transaction; a version conflict rolls it back and the other appends then fail with an uncaught `SQLITE_ERROR: cannot commit - no transaction is active`, which ends the process. With its calls made one at a time behind a lock, the race never ends: in emmett-sqlite 0.42.4 (the latest) an append refused for a stale expected version still moves the stream's position in `emt_streams`, so every later append with the stream's true version is refused too. One writer, no concurrency, shows it (`node dist/emmett-sqlite-stale-append.js` in `bench/`): append three events expecting 0, 1, 2; append expecting 1 (refused, as it should be); read (version 3, 3 events); append expecting 3: refused, and `emt_streams.stream_position` stays ahead of the last event. Emmett's default connection per call does the same.",
  '- **Emmett SQLite with its default connection per call, concurrent writers:** fails with `SQLITE_BUSY: database is locked` (no busy timeout on its connections), then an uncaught `SQLITE_ERROR: cannot rollback - no transaction is active`. The concurrent SQLite scenarios therefore give Emmett its shared connection, where concurrent appends share a transaction (a form of group commit that flatters its FULL figures).',
  '- **Emmett without an expected version still rejects racing appends** (PostgreSQL and SQLite: `ExpectedVersionConflictError: Expected version NO_CONCURRENCY_CHECK does not match current …`); the racing scenarios retry those as a user would have to, and count them.',
  '- **Emmett at 1,000,000 events:** not measured; `readStream` would hold the whole stream in memory, so its large-stream rows are at 100,000 events (see above).',
  "- **Installing:** `sqlite3` 5.1.7 (Emmett SQLite's peer) has no reachable prebuilt binary here (`prebuild-install warn install getaddrinfo ENOTFOUND github.com`), so it compiles from source. `pnpm install` leaves it unbuilt (it is in `ignoredBuiltDependencies`); `pnpm bench` builds it before its first run (`node dist/peers.js`, or `pnpm bench:peers`): about two minutes on an idle machine, 12 on a busy one. A run without it leaves Emmett SQLite out and says so.",
  '',
  '## Results',
  '',
];
for (const result of run.results) {
  lines.push(
    `### ${result.name}`,
    '',
    `${result.ops.toLocaleString('en-US')} ${result.unit}s per round.${result.notes ? ` ${notes(result.notes)}.` : ''}`,
    '',
  );
  lines.push(`| contender | ${result.unit}s/s | middle half of the rounds | per ${result.unit} | notes |`, '|---|--:|--:|--:|---|');
  for (const c of result.contenders) {
    const spread = c.middleHalf ? `${int(c.middleHalf[0])}–${int(c.middleHalf[1])}` : '';
    lines.push(`| ${c.name} | ${int(c.opsPerSecond)} | ${spread} | ${perOp(c.opsPerSecond)} | ${notes(c.notes)} |`);
  }
  if (result.ratios.length > 0) {
    lines.push('', '| ratio | measured | target | |', '|---|--:|--:|---|');
    for (const r of result.ratios) {
      lines.push(`| ${r.numerator} / ${r.denominator} | ${r.ratio.toFixed(2)} | ${bound(r)} | ${verdict(r)} |`);
    }
  }
  lines.push('');
}
const missed = run.results.flatMap((result) =>
  result.ratios
    .filter((r) => !r.met)
    .map((r) => `${result.name}: ${r.numerator} / ${r.denominator} = ${r.ratio.toFixed(2)} (target ${bound(r)})`),
);
lines.push('## Targets missed in this run', '', ...(missed.length === 0 ? ['None.'] : missed.map((m) => `- ${m}`)), '');
writeFileSync(new URL('benchmarks.md', docs), `${lines.join('\n')}\n`);
writeFileSync(
  new URL('benchmarks.svg', docs),
  ratioChart(`Hume benchmark ratios (${run.started.slice(0, 10)}, ${run.machine.cores} cores, Node ${run.machine.node})`, ratios),
);
console.log(`wrote benchmarks.md and benchmarks.svg in ${docs.pathname} from ${file}`);
