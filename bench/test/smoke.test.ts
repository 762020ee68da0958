// The harness must not rot: a smoke run (tiny sizes, every suite, the embedded
// PostgreSQL started and stopped by the suite itself) has to give a finite,
// positive figure for every contender of every scenario.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

interface Run {
  readonly results: readonly {
    name: string;
    contenders: readonly { name: string; opsPerSecond: number }[];
    ratios: readonly { numerator: string; denominator: string }[];
    notes?: Readonly<Record<string, unknown>>;
  }[];
}

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Whether Emmett SQLite can run here: pnpm install leaves its sqlite3 unbuilt, pnpm bench:peers builds it. */
function sqlite3Loads(): boolean {
  try {
    createRequire(import.meta.url)('sqlite3');
    return true;
  } catch {
    return false;
  }
}

async function bench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return benchWith(process.env, ...args);
}

async function benchWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [main, ...args], { maxBuffer: 16 << 20, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'hume-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a smoke run measures every contender of every scenario, Emmett included (Emmett SQLite where its sqlite3 is built)', async () => {
  const json = join(dir, 'smoke.json');
  const { code, stdout, stderr } = await bench('--smoke', '--json', json);
  expect(code, stderr).toBe(0);
  const run = JSON.parse(readFileSync(json, 'utf8')) as Run;
  const suites = new Set(run.results.map((result) => result.name.split(':')[0]));
  expect([...suites].sort()).toEqual(['core', 'memory', 'postgres', 'postgres feed', 'projections', 'sqlite', 'sqlite feed']);
  const names = run.results.flatMap((result) => result.contenders.map((contender) => contender.name));
  expect(names.some((name) => name.startsWith('emmett-postgresql'))).toBe(true);
  expect(names.some((name) => name.startsWith('emmett-sqlite'))).toBe(sqlite3Loads());
  if (!sqlite3Loads())
    expect(stdout).toContain('emmett-sqlite: not run, its native module sqlite3 is not built (pnpm bench:peers builds it)');
  for (const result of run.results) {
    for (const contender of result.contenders) {
      expect(Number.isFinite(contender.opsPerSecond) && contender.opsPerSecond > 0, `${result.name} / ${contender.name}`).toBe(true);
    }
  }
}, 120_000);

test('without Emmett SQLite the sqlite suite still runs, with its ratios and a note saying why', async () => {
  const json = join(dir, 'without-peers.json');
  const { code, stdout, stderr } = await bench('--smoke', '--only', '^sqlite$', '--skip-native-peers', '--json', json);
  expect(code, stderr).toBe(0);
  expect(stdout).toContain('emmett-sqlite: not run, left out by --skip-native-peers');
  const run = JSON.parse(readFileSync(json, 'utf8')) as Run;
  expect(run.results.length).toBeGreaterThan(5);
  for (const result of run.results) {
    expect(result.name).toMatch(/^sqlite: /);
    for (const contender of result.contenders) expect(contender.name).not.toMatch(/^emmett/);
    for (const ratio of result.ratios) expect(`${ratio.numerator} ${ratio.denominator}`).not.toContain('emmett');
  }
  expect(run.results.find((result) => result.name.startsWith('sqlite: append, one transaction'))?.notes?.emmett).toBe(
    'not run: left out by --skip-native-peers',
  );
}, 120_000);

test.skipIf(!sqlite3Loads())(
  'an uncaught error of Emmett SQLite in a concurrent round ends only its child: the suite finishes and reports it as not run',
  async () => {
    const json = join(dir, 'emmett-crash.json');
    const preload = pathToFileURL(fileURLToPath(new URL('./fixtures/emmett-commit-crash.mjs', import.meta.url))).href;
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim() };
    const { code, stderr } = await benchWith(env, '--smoke', '--only', '^sqlite$', '--json', json);
    expect(code, stderr).toBe(0);
    const run = JSON.parse(readFileSync(json, 'utf8')) as Run;
    const concurrent = run.results.filter((result) => /8 writers (on 8 streams|racing on one stream without expect)/.test(result.name));
    expect(concurrent).toHaveLength(2);
    for (const result of concurrent) {
      expect(result.contenders.map((contender) => contender.name)).not.toContain('emmett-sqlite, FULL');
      expect(result.contenders.length).toBeGreaterThan(0);
      for (const contender of result.contenders) expect(contender.opsPerSecond).toBeGreaterThan(0);
      for (const ratio of result.ratios) expect(`${ratio.numerator} ${ratio.denominator}`).not.toContain('emmett');
      expect(result.notes?.['emmett-sqlite, FULL']).toBe(
        'not run: SQLITE_BUSY: cannot commit transaction - SQL statements in progress (uncaught in its child process) (in round 1 of 1)',
      );
    }
    // The scenarios after them ran, and Emmett's single-writer rows (in this process) are measured.
    expect(run.results.at(-1)?.name).toBe('sqlite: time to first event of a long stream');
    const single = run.results.find((result) => result.name.startsWith('sqlite: append, one transaction per event (synchronous=FULL)'));
    expect(single?.contenders.map((contender) => contender.name)).toContain('emmett-sqlite, FULL');
  },
  60_000,
);

test('--help prints the usage and exits 0; an unknown flag exits 2 with one line', async () => {
  const help = await bench('--help');
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: node --expose-gc dist\/main\.js/);
  const bogus = await bench('--bogus');
  expect(bogus.code).toBe(2);
  expect(bogus.stderr.trim().split('\n')).toEqual([expect.stringMatching(/'--bogus'.*--help prints the usage/)]);
}, 60_000);

test('dist/peers.js answers --help with exit 0, an unknown flag with one line and exit 2, and exits 0 at once when sqlite3 loads', async () => {
  const peers = fileURLToPath(new URL('../dist/peers.js', import.meta.url));
  const runPeers = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      return { code: 0, ...(await promisify(execFile)(process.execPath, [peers, ...args])) };
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string };
    }
  };
  const help = await runPeers('--help');
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: node dist\/peers\.js/);
  const bogus = await runPeers('--bogus');
  expect(bogus.code).toBe(2);
  expect(bogus.stderr.trim().split('\n')).toEqual([expect.stringMatching(/'--bogus'.*--help prints the usage/)]);
  if (sqlite3Loads()) expect(await runPeers()).toEqual({ code: 0, stdout: '', stderr: '' });
}, 60_000);
