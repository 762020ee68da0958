// Every script a person runs by hand answers --help with its usage and exit
// code 0, and an unknown flag with one line and exit code 2 (bench's, the
// demo's and the conformance CLI's own tests check theirs).
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { root } from './workspace.js';

const scripts = [
  ...readdirSync(`${root}scripts`)
    .filter((file) => file.endsWith('.mjs'))
    .map((file) => `scripts/${file}`),
  'packages/postgres/scripts/with-postgres.mjs',
];

async function run(script: string, flag: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [`${root}${script}`, flag], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

describe.each(scripts)('%s', (script) => {
  // Each starts a Node process: seconds on a busy machine.
  it('answers --help with its usage and exit 0', { timeout: 60_000 }, async () => {
    const { code, stdout } = await run(script, '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: /);
  });

  it('answers an unknown flag with one line and exit 2', { timeout: 60_000 }, async () => {
    const { code, stderr } = await run(script, '--bogus');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/--bogus.*--help prints the usage/)]);
  });
});
