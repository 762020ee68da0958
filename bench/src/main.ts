import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine } from './machine.js';
import { runScenario, type ScenarioResult } from './run-scenario.js';
import type { Suite } from './scenario.js';

const usage = `Usage: node --expose-gc dist/main.js [--smoke] [--only <pattern>] [--json <file>] [--strict] [--skip-native-peers]

Runs the benchmarks: the raw drivers, the Hume adapters and their peers,
interleaved round by round, and prints each scenario's figures and ratios.
--smoke              tiny sizes: proves the harness runs, measures nothing
--only <pattern>     only the suites whose name matches (a regular expression: memory, sqlite, postgres; copy runs only when named)
--json <file>        also writes the run, machine and versions included, as JSON
--strict             exits 1 when a ratio misses its target (not with --smoke)
--skip-native-peers  leaves out Emmett SQLite, whose native module (sqlite3) pnpm install does not build
--scenario <pattern> only the scenarios whose name matches (a regular expression)
--scale <x>          appends (and events copied) per round times x, and the events of the feed suite (other reads keep their size), for shorter runs on a busy machine
--rounds <n>         timed rounds per scenario instead of each scenario's own
Each suite runs in a process of its own, so that what one leaves in memory
(a million events, a pool) never slows the next one's contenders.
In the repository, pnpm bench builds everything, Emmett SQLite's sqlite3 included, and runs this.`;

function parse(): ReturnType<typeof parseOptions> {
  try {
    return parseOptions();
  } catch (error) {
    console.error(`${(error as Error).message} (--help prints the usage)`);
    process.exit(2);
  }
}

function parseOptions() {
  return parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      json: { type: 'string' },
      strict: { type: 'boolean', default: false },
      'skip-native-peers': { type: 'boolean', default: false },
      scenario: { type: 'string' },
      scale: { type: 'string' },
      rounds: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

const { values } = parse();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const scenarioFilter = values.scenario === undefined ? undefined : new RegExp(values.scenario, 'i');
const scale = values.scale === undefined ? 1 : Number(values.scale);
const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
if (!(scale > 0) || (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0))) {
  console.error('--scale must be a positive number and --rounds a positive integer (--help prints the usage)');
  process.exit(2);
}
const only = values.only === undefined ? undefined : new RegExp(values.only, 'i');

/** Every module in suites/ exports a Suite by default; a new adapter adds a file there. */
async function loadSuites(): Promise<Suite[]> {
  const folder = new URL('./suites/', import.meta.url);
  const files = (await readdir(folder)).filter((file) => file.endsWith('.js')).sort();
  const suites: Suite[] = [];
  for (const file of files) suites.push(((await import(new URL(file, folder).href)) as { default: Suite }).default);
  return suites;
}

function progress(label: string, done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const width = 24;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r  ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${label} ${done}/${total}`);
  if (done === total) process.stderr.write('\r\x1b[2K');
}

function format(result: ScenarioResult): string {
  const lines = [`${result.name} (${result.ops} ${result.unit}s per round)`];
  for (const contender of result.contenders) {
    const perOp = 1000 / contender.opsPerSecond;
    const notes = contender.notes && Object.keys(contender.notes).length > 0 ? `  ${formatNotes(contender.notes)}` : '';
    const [low, high] = contender.middleHalf.map((value) => Math.round(value).toLocaleString('en-US'));
    lines.push(
      `  ${contender.name.padEnd(36)} ${Math.round(contender.opsPerSecond).toLocaleString('en-US').padStart(12)} ${result.unit}/s ${perOp < 1 ? `${(perOp * 1000).toFixed(1)} µs` : `${perOp.toFixed(2)} ms`} (middle half ${low}–${high})${notes}`,
    );
  }
  if (result.notes) lines.push(`  ${formatNotes(result.notes)}`);
  for (const ratio of result.ratios) {
    const bound = [ratio.min === undefined ? '' : `≥ ${ratio.min}`, ratio.max === undefined ? '' : `≤ ${ratio.max}`]
      .filter(Boolean)
      .join(', ');
    const verdict = bound === '' ? 'no target' : `target ${bound}: ${ratio.met ? 'met' : 'MISSED'}`;
    lines.push(`  ratio ${ratio.numerator} / ${ratio.denominator} = ${ratio.ratio.toFixed(3)} (${verdict})`);
  }
  return lines.join('\n');
}

function formatNotes(notes: Readonly<Record<string, number | string>>): string {
  return `(${Object.entries(notes)
    .map(([key, value]) => `${key}: ${typeof value === 'number' ? Number(value.toFixed(3)) : value}`)
    .join('; ')})`;
}

/** Set in the process that runs one suite for the parent run. */
const SUITE_CHILD = 'HUME_BENCH_SUITE';

const results: ScenarioResult[] = [];
const machine = describeMachine();
const started = new Date();
if (process.env[SUITE_CHILD] === undefined) {
  console.log(
    `Hume benchmarks on Node ${machine.node}, ${machine.platform}, ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB${values.smoke ? ' (smoke sizes: nothing is measured)' : ''}`,
  );
  console.log(
    `${Object.entries(machine.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}\n`,
  );
}

/**
 * Runs the suite in a child process of its own (this program with `--only`
 * naming just it and `--json` to a temp file) and returns its results; the
 * child prints its scenarios as they finish.
 */
function runSuiteInChild(name: string): ScenarioResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'hume-bench-suite-'));
  try {
    const json = join(dir, 'results.json');
    // The run's own flags but --only and --json (and their values), which the child gets its own of.
    const replaced = (arg: string | undefined): boolean => arg === '--only' || arg === '--json';
    const args = process.argv
      .slice(2)
      .filter((arg, index, all) => !replaced(arg) && !replaced(all[index - 1]) && !/^--(only|json)=/.test(arg));
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), ...args, '--only', `^${name}$`, '--json', json],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, [SUITE_CHILD]: name },
      },
    );
    if (child.status !== 0) throw new Error(`the ${name} suite failed (${child.signal ?? `exit ${child.status}`})`);
    return (JSON.parse(readFileSync(json, 'utf8')) as { results: ScenarioResult[] }).results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const suite of await loadSuites()) {
  if (only ? !only.test(suite.name) : suite.optIn) continue;
  if (process.env[SUITE_CHILD] === undefined) {
    results.push(...runSuiteInChild(suite.name));
    continue;
  }
  try {
    for (const listed of await suite.scenarios({ smoke: values.smoke, skipNativePeers: values['skip-native-peers'], scale })) {
      if (scenarioFilter && !scenarioFilter.test(listed.name)) continue;
      // Only appends scale: a read's round reads its whole stream whatever its ops.
      const scaled = /append|copied/.test(listed.unit) ? Math.max(1, Math.round(listed.ops * scale)) : listed.ops;
      const scenario = { ...listed, ops: scaled, rounds: rounds ?? listed.rounds };
      const result = await runScenario(scenario, (done, total) => progress(scenario.name, done, total));
      results.push(result);
      console.log(`${format(result)}\n`);
    }
  } finally {
    await suite.close?.();
  }
}
if (values.json) {
  const run = {
    command: ['node', ...process.execArgv, 'dist/main.js', ...process.argv.slice(2)].join(' '),
    started: started.toISOString(),
    minutes: Math.round(((Date.now() - started.getTime()) / 60_000) * 10) / 10,
    smoke: values.smoke,
    machine,
    results,
  };
  await writeFile(values.json, `${JSON.stringify(run, null, 2)}\n`);
}
if (process.env[SUITE_CHILD] !== undefined) process.exit(0);
const missed = results.flatMap((result) =>
  result.ratios.filter((ratio) => !ratio.met).map((ratio) => `${result.name}: ${ratio.numerator} / ${ratio.denominator}`),
);
console.log(missed.length === 0 ? 'every target met' : `targets missed:\n  ${missed.join('\n  ')}`);
if (values.strict && missed.length > 0 && !values.smoke) process.exitCode = 1;
