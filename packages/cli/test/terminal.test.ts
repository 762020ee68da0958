// A terminal session: the copy runs under a pseudo-terminal (util-linux `script`,
// part of every Debian and Ubuntu base system, so CI needs nothing installed),
// shows its progress bar, and a Ctrl-C typed into the terminal stops it at a
// batch boundary.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastSeqs, postgresUrl, sqliteFixture, tempDir } from './fixtures.js';
import { bin, hume } from './run-hume.js';

const dir = tempDir();

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

describe('hume copy in a terminal', () => {
  it('draws a progress bar with events/s and an ETA, and Ctrl-C stops it at a batch boundary; a rerun completes it', async () => {
    const file = join(dir, 'tty-source.db');
    await sqliteFixture(file, 100, 1000);
    const source = `sqlite:${file}`;
    const target = postgresUrl('cli_tty');
    // `exec`: no shell stays between the terminal and hume. A shell waiting on its child also gets the
    // Ctrl-C, and dash (script's /bin/sh when SHELL is unset, as under CI) then exits 130 itself.
    const command = `exec ${[process.execPath, bin, 'copy', source, target, '--batch-size', '100', '--concurrency', '1'].map(shellQuote).join(' ')}`;
    const { NO_COLOR: _, ...env } = process.env;
    // -q no banner, -f flush at once, -e exit with the command's code; the typescript goes nowhere.
    const terminal = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...env, TERM: 'xterm-256color' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    terminal.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk;
    });
    const exited = new Promise<number | null>((resolve) => terminal.once('close', resolve));
    const bar = /copy \[[\u2588\u2591]+\] (\d+)% \| ([\d,]+)\/100,000 events \| [\d,]+ events\/s \| ETA /;
    // The last bar drawn so far: the first one is always at 0 %.
    const percent = (): number => Number([...screen.matchAll(new RegExp(bar, 'g'))].at(-1)?.[1] ?? 0);
    const deadline = Date.now() + 60_000;
    while (percent() < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen).toMatch(bar);
    expect(percent()).toBeLessThan(100);
    terminal.stdin.write('\u0003'); // Ctrl-C, as typed: the terminal sends SIGINT to the foreground job
    const code = await exited;
    terminal.stdin.end();
    expect(screen).toContain('hume: Ctrl-C: the copy stops after the batches in flight (Ctrl-C again to quit at once)');
    expect(screen).toMatch(
      /hume: STOPPED: [\d,]+ events copied, 0 already there, \d+ of 100 streams complete \(run the same command again to continue\)/,
    );
    expect(code).toBe(1);

    const partial = await lastSeqs(target);
    const stored = [...partial.values()].reduce((sum, last) => sum + last, 0);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(100_000);
    for (const [stream, last] of partial) expect(last % 100, `${stream} stopped mid-batch at ${last}`).toBe(0);

    const rerun = await hume(['copy', source, target, '--json']);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ present: stored, copied: 100_000 - stored });
    expect((await hume(['verify', source, target])).code).toBe(0);
  });
});
