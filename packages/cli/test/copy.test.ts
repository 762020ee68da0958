import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastSeqs, postgresUrl, sqliteFixture, tempDir } from './fixtures.js';
import { finished, hume, start, waitForStderr } from './run-hume.js';

const dir = tempDir();
const STREAMS = 100;
const PER_STREAM = 1000;

/** The `done` figure of the last progress line printed so far. */
function lastDone(stderr: string): number {
  const matches = [...stderr.matchAll(/^copy: ([\d,]+) of/gm)];
  return Number((matches.at(-1)?.[1] ?? '0').replaceAll(',', ''));
}

describe('hume copy', () => {
  it('copies 100,000 events SQLite → PostgreSQL; killed with SIGKILL midway, a rerun finishes it and verify finds them equal', async () => {
    const source = `sqlite:${join(dir, 'source.db')}`;
    await sqliteFixture(join(dir, 'source.db'), STREAMS, PER_STREAM);
    const target = postgresUrl('cli_copy');
    const args = ['copy', source, target, '--batch-size', '100', '--concurrency', '2', '--progress', 'lines', '--progress-interval', '20'];

    const first = start(args);
    await waitForStderr(first, (stderr) => lastDone(stderr) >= 20_000);
    first.kill('SIGKILL');
    const killed = await finished(first);
    expect(killed.signal).toBe('SIGKILL');
    const partial = await lastSeqs(target);
    const stored = [...partial.values()].reduce((sum, last) => sum + last, 0);
    expect(stored).toBeGreaterThanOrEqual(20_000);
    expect(stored).toBeLessThan(STREAMS * PER_STREAM);

    const rerun = await hume([...args, '--json']);
    expect(rerun.stderr).toMatch(/^copy: /m);
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(rerun.stdout);
    expect(report).toMatchObject({ total: 100_000, done: 100_000, streams: STREAMS, streamsDone: STREAMS, stopped: false });
    expect(report.present).toBe(stored);
    expect(report.copied).toBe(100_000 - stored);

    const full = await lastSeqs(target);
    expect(full.size).toBe(STREAMS);
    for (const last of full.values()) expect(last).toBe(PER_STREAM);
    const verify = await hume(['verify', source, target]);
    expect(verify).toMatchObject({ code: 0, stdout: 'equal: 100 streams, 100,000 events compared\n' });

    const again = await hume(['copy', source, target, '--json', '--progress', 'none']);
    expect(JSON.parse(again.stdout)).toMatchObject({ copied: 0, present: 100_000 });
  });

  it('stops with a conflict report when the target holds other events, and verify lists the difference', async () => {
    const source = `sqlite:${join(dir, 'small.db')}`;
    await sqliteFixture(join(dir, 'small.db'), 3, 5);
    const target = `sqlite:${join(dir, 'other.db')}`;
    await hume(['append', target, 'stream-0001', '{"not":"the same"}']);
    const copy = await hume(['copy', source, target, '--concurrency', '1']);
    expect(copy.code).toBe(1);
    expect(copy.stderr).toContain('hume: CONFLICT: stream "stream-0001" at seq 1: the target holds a different event at seq 1');
    const verify = await hume(['verify', source, target, '--json']);
    expect(verify.code).toBe(1);
    const report = JSON.parse(verify.stdout);
    expect(report.equal).toBe(false);
    expect(report.differences.map((d: { stream: string }) => d.stream)).toContain('stream-0001');

    const longer = `sqlite:${join(dir, 'longer.db')}`;
    await hume(['copy', source, longer]);
    await hume(['append', longer, 'stream-0002', '{"extra":true}']);
    const extra = await hume(['copy', source, longer]);
    expect(extra.code).toBe(1);
    expect(extra.stderr).toContain('stream "stream-0002" at seq 6: the target has more events than the source (seq 6 and on)');
  });

  it('copies into memory: and between SQLite files, preserving seqs and payloads', async () => {
    const source = `sqlite:${join(dir, 'small2.db')}`;
    await sqliteFixture(join(dir, 'small2.db'), 4, 7);
    const target = `sqlite:${join(dir, 'copy2.db')}`;
    expect((await hume(['copy', source, target, '--prefix', 'stream-000'])).code).toBe(0);
    expect((await hume(['verify', source, target])).code).toBe(0);
    expect((await hume(['read', target, 'stream-0003', '--from', '6'])).stdout).toBe(
      '7\t{"s":3,"seq":7,"note":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}\n',
    );
    expect((await hume(['copy', source, 'memory:', '--json'])).stdout).toContain('"copied":28');
  });
});
