// The demo leaves nothing behind: run with TMPDIR set to a folder of the
// test's own, which must be empty again once the demo exits.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('../dist/demo.js', import.meta.url));
let temp = '';
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'hume-demo-test-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function runDemo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [demo, ...args], { env: { ...process.env, TMPDIR: temp } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

it.each([[[]], [['--memory']]])('runs with %j and leaves no temp folder behind', async (args) => {
  const { code, stdout } = await runDemo(...args);
  expect(code).toBe(0);
  expect(stdout).toContain('the balance never went below 0');
  expect(await readdir(temp)).toEqual([]);
});

it('keeps a file given with --file', async () => {
  const file = join(temp, 'kept.db');
  expect((await runDemo('--file', file)).code).toBe(0);
  expect(await readdir(temp)).toContain('kept.db');
});

it('answers --help with the usage and exit 0, an unknown flag with one line and exit 2', async () => {
  const help = await runDemo('--help');
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: node dist\/demo\.js/);
  const bogus = await runDemo('--bogus');
  expect(bogus.code).toBe(2);
  expect(bogus.stderr.trim().split('\n')).toEqual([expect.stringMatching(/'--bogus'.*--help prints the usage/)]);
});
