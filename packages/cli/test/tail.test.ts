import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { postgresUrl, tempDir } from './fixtures.js';
import { finished, hume, output, start, waitForStderr } from './run-hume.js';

const dir = tempDir();

/** Appends through the command, as another process would. */
async function append(url: string, stream: string, json: string): Promise<void> {
  expect((await hume(['append', url, stream, json])).code).toBe(0);
}

interface Line {
  position: string;
  stream: string;
  seq: number;
  payload: unknown;
}

function lines(stdout: string): Line[] {
  return stdout
    .trimEnd()
    .split('\n')
    .filter((text) => text !== '')
    .map((text) => JSON.parse(text) as Line);
}

describe('hume tail', () => {
  it('prints the feed from the start, in commit order, filtered by prefix, and resumes after a position', async () => {
    const url = `sqlite:${join(dir, 'feed.db')}`;
    await append(url, 'cart-1', '{"n":1}');
    await append(url, 'user-1', '{"n":2}');
    await append(url, 'cart-2', '{"n":3}');
    await append(url, 'cart-1', '{"n":4}');

    const all = await hume(['tail', url, '--no-live', '--json']);
    expect(all.code).toBe(0);
    expect(all.stderr).toBe('');
    const events = lines(all.stdout);
    expect(events.map(({ stream, seq, payload }) => [stream, seq, payload])).toEqual([
      ['cart-1', 1, { n: 1 }],
      ['user-1', 1, { n: 2 }],
      ['cart-2', 1, { n: 3 }],
      ['cart-1', 2, { n: 4 }],
    ]);
    const positions = events.map((event) => event.position);
    expect([...positions].sort()).toEqual(positions);

    const carts = lines((await hume(['tail', url, '--no-live', '--json', '--prefix', 'cart-'])).stdout);
    expect(carts.map(({ stream, seq }) => `${stream}#${seq}`)).toEqual(['cart-1#1', 'cart-2#1', 'cart-1#2']);
    expect(carts.map((event) => event.position)).toEqual([positions[0], positions[2], positions[3]]);

    const rest = await hume(['tail', url, '--no-live', '--after', positions[1] as string]);
    expect(rest).toMatchObject({ code: 0, stderr: '' });
    expect(rest.stdout).toBe(`${positions[2]}\tcart-2\t1\t{"n":3}\n${positions[3]}\tcart-1\t2\t{"n":4}\n`);
  });

  it('follows appends from other processes once caught up, and Ctrl-C ends it with exit 0 and the position to resume from', async () => {
    const url = `sqlite:${join(dir, 'live.db')}`;
    await append(url, 'cart-1', '{"n":1}');
    const tail = start(['tail', url, '--json']);
    const seen = output(tail);
    await waitForStderr(tail, (stderr) => stderr.includes('hume: caught up at '));
    expect(lines(seen.stdout).map((event) => event.payload)).toEqual([{ n: 1 }]);

    await append(url, 'cart-2', '{"n":2}');
    await append(url, 'cart-1', '{"n":3}');
    const deadline = Date.now() + 30_000;
    while (lines(seen.stdout).length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const followed = lines(seen.stdout);
    expect(followed.map(({ stream, seq }) => `${stream}#${seq}`)).toEqual(['cart-1#1', 'cart-2#1', 'cart-1#2']);

    tail.kill('SIGINT');
    const run = await finished(tail);
    expect(run.code).toBe(0);
    const last = followed.at(-1)?.position;
    expect(run.stderr).toContain(`hume: stopped after ${last} (continue with --after ${last})`);
    expect(run.stderr).not.toMatch(/Error|at .*\.js/);

    const resumed = await hume(['tail', url, '--no-live', '--after', last as string]);
    expect(resumed).toMatchObject({ code: 0, stdout: '' });
  });

  it('follows a PostgreSQL store: what was committed, then appends from other processes, until Ctrl-C', async () => {
    const url = postgresUrl('cli_tail');
    await append(url, 'order-1', '{"n":1}');
    await append(url, 'order-2', '{"n":2}');
    const committed = lines((await hume(['tail', url, '--no-live', '--json'])).stdout);
    expect(committed.map(({ stream, seq }) => `${stream}#${seq}`)).toEqual(['order-1#1', 'order-2#1']);

    const tail = start(['tail', url, '--json', '--prefix', 'order-1', '--after', committed[0]?.position as string]);
    const seen = output(tail);
    await waitForStderr(tail, (stderr) => stderr.includes('hume: caught up at '));
    expect(seen.stdout).toBe('');
    await append(url, 'order-2', '{"n":3}');
    await append(url, 'order-1', '{"n":4}');
    const deadline = Date.now() + 30_000;
    while (lines(seen.stdout).length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    tail.kill('SIGINT');
    const run = await finished(tail);
    expect(run.code).toBe(0);
    expect(lines(run.stdout).map(({ stream, seq, payload }) => [stream, seq, payload])).toEqual([['order-1', 2, { n: 4 }]]);
  });

  it('refuses a position the store never gave, and a store without a feed, with exit 1 and one line', async () => {
    const url = `sqlite:${join(dir, 'feed.db')}`;
    const bad = await hume(['tail', url, '--after', 'not-a-position']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^hume: INVALID_ARGUMENT: .*after/);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);

    const scheme = fileURLToPath(new URL('./fixtures/feedless-scheme.mjs', import.meta.url));
    const feedless = await hume(['--import', scheme, 'tail', 'feedless:x']);
    expect(feedless.code).toBe(1);
    expect(feedless.stderr).toBe(
      'hume: UNSUPPORTED: the store has no global feed: its adapter has no feed() (contract C13) (upgrade the adapter, or read one stream with hume read <url> <stream>)\n',
    );
  });
});
