import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedChannel, NOTIFY_INTERVAL_MS } from '../src/postgres-feed-channel.js';
import { databaseUrl } from './database.js';

const CHANNEL = `hume_test_throttle_${process.pid}`;
let listener: pg.Client;
const heard: number[] = [];

beforeAll(async () => {
  listener = new pg.Client({ connectionString: databaseUrl });
  listener.on('error', () => undefined);
  listener.on('notification', () => heard.push(performance.now()));
  await listener.connect();
  await listener.query(`LISTEN ${CHANNEL}`);
});
afterAll(async () => {
  await listener.end();
});

const until = async (condition: () => boolean, ms = 2_000): Promise<void> => {
  for (const deadline = Date.now() + ms; !condition() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('the feed channel', () => {
  it('announces a burst of commits with at most one NOTIFY per interval, the first at once and the last after the burst', async () => {
    const channel = new FeedChannel({ connectionString: databaseUrl }, CHANNEL, { heard: () => undefined, lost: () => undefined });
    try {
      // A lone commit after a quiet spell: announced without waiting for the interval.
      heard.length = 0;
      const alone = performance.now();
      channel.notify();
      await until(() => heard.length === 1);
      expect(heard).toHaveLength(1);

      await new Promise((resolve) => setTimeout(resolve, 20));
      heard.length = 0;
      const started = performance.now();
      let last = started;
      for (let commit = 0; commit < 400; commit++) {
        channel.notify();
        last = performance.now();
        await new Promise((resolve) => setImmediate(resolve));
      }
      const elapsed = last - started;
      await until(() => heard.length > 0 && (heard.at(-1) as number) >= last);
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The commits at the end of the burst were announced after the last of them.
      expect(heard.at(-1)).toBeGreaterThanOrEqual(last);
      // One per interval at most (plus the one at its start and the one after it), far fewer than the 400 commits.
      expect(NOTIFY_INTERVAL_MS).toBe(5);
      expect(heard.length).toBeLessThanOrEqual(Math.ceil(elapsed / NOTIFY_INTERVAL_MS) + 2);
      expect(heard.length).toBeLessThan(400);
      expect(alone).toBeLessThan(started);
    } finally {
      await channel.close();
    }
  });

  it('announces on close() the commits still waiting for the interval to pass', async () => {
    const channel = new FeedChannel({ connectionString: databaseUrl }, CHANNEL, { heard: () => undefined, lost: () => undefined });
    heard.length = 0;
    channel.notify();
    await until(() => heard.length === 1);
    channel.notify(); // within the interval, or while the first is still on its way: waits
    await channel.close();
    await until(() => heard.length === 2);
    expect(heard).toHaveLength(2);

    const closing = new FeedChannel({ connectionString: databaseUrl }, CHANNEL, { heard: () => undefined, lost: () => undefined });
    heard.length = 0;
    closing.notify();
    closing.notify(); // the first is on its way: this one waits behind it
    await closing.close();
    await until(() => heard.length === 2);
    expect(heard).toHaveLength(2);
  });

  it('sends each NOTIFY in a transaction of its own that ends, its synchronous_commit setting with it', async () => {
    const name = `hume_channel_${process.pid}`;
    const channel = new FeedChannel({ connectionString: databaseUrl, application_name: name }, CHANNEL, {
      heard: () => undefined,
      lost: () => undefined,
    });
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      heard.length = 0;
      channel.notify();
      await until(() => heard.length === 1);
      expect(heard).toHaveLength(1);
      // The channel's connection is idle, not left inside the NOTIFY's transaction, and its last
      // statement set synchronous_commit with SET LOCAL, which ends with that transaction.
      const activity = async (): Promise<{ state: string; query: string }[]> =>
        (await admin.query('SELECT state, query FROM pg_stat_activity WHERE application_name = $1', [name])).rows;
      await until(() => false, 50);
      const [session] = await activity();
      expect(session?.state).toBe('idle');
      expect(session?.query).toContain('SET LOCAL synchronous_commit TO off');
      expect(session?.query).toMatch(/COMMIT$/);
    } finally {
      await admin.end();
      await channel.close();
    }
  });
});
