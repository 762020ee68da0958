// The harness must not rot: a smoke run (tiny sizes, every suite, the embedded
// PostgreSQL started and stopped by the suite itself) has to give a finite,
// positive figure for every contender of every scenario.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

interface Run {
  readonly results: readonly { name: string; contenders: readonly { name: string; opsPerSecond: number }[] }[];
}

const dir = mkdtempSync(join(tmpdir(), 'hume-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a smoke run measures every contender of every scenario, Emmett included', async () => {
  const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
  const json = join(dir, 'smoke.json');
  await promisify(execFile)(process.execPath, [main, '--smoke', '--json', json], { maxBuffer: 16 << 20 });
  const run = JSON.parse(readFileSync(json, 'utf8')) as Run;
  const suites = new Set(run.results.map((result) => result.name.split(':')[0]));
  expect([...suites].sort()).toEqual(['memory', 'postgres', 'sqlite']);
  const names = run.results.flatMap((result) => result.contenders.map((contender) => contender.name));
  expect(names.some((name) => name.startsWith('emmett-postgresql'))).toBe(true);
  expect(names.some((name) => name.startsWith('emmett-sqlite'))).toBe(true);
  for (const result of run.results) {
    for (const contender of result.contenders) {
      expect(Number.isFinite(contender.opsPerSecond) && contender.opsPerSecond > 0, `${result.name} / ${contender.name}`).toBe(true);
    }
  }
}, 120_000);
