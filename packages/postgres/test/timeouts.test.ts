import { PostgresEventStore } from '@hume/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, migratedStore, schemaName, storedSeqs } from './database.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';
import { codeOf, settleWithin } from './settle.js';

const schema = schemaName('timeouts');
let proxy: TcpProxy;

beforeAll(async () => {
  await (await migratedStore(schema)).close();
  proxy = await TcpProxy.start(databaseUrl);
});
afterAll(async () => {
  proxy.heal();
  await proxy.close();
});

/** A store reaching the server through the proxy, with short timeouts so that a test waits seconds, not minutes. */
function storeThroughProxy(): PostgresEventStore {
  return new PostgresEventStore(proxy.url, { schema, connectionTimeoutMs: 1_000, statementTimeoutMs: 500, queryTimeoutMs: 1_500 });
}

async function readAll(store: PostgresEventStore, stream: string): Promise<unknown[]> {
  const payloads: unknown[] = [];
  for await (const { payload } of store.events(stream)) payloads.push(payload);
  return payloads;
}

describe('a network partition (the proxy stops forwarding, nothing is closed)', () => {
  it('rejects the calls in flight with BACKEND within the query timeout; sent appends say their outcome is unknown', async () => {
    const store = storeThroughProxy();
    try {
      expect(await store.append('partitioned', { n: 1 }, 0)).toEqual({ ok: true, seq: 1 });
      proxy.partition();
      const started = Date.now();
      const calls = [store.append('partitioned', { n: 2 }, 1), store.append('partitioned-batch', { n: 3 }), readAll(store, 'partitioned')];
      const outcomes = await settleWithin<unknown>(calls, 10_000);
      const elapsed = Date.now() - started;
      expect(outcomes.map((outcome) => (outcome === 'pending' ? 'pending' : outcome.status))).toEqual(['rejected', 'rejected', 'rejected']);
      expect(elapsed).toBeLessThan(5_000);
      for (const outcome of outcomes) {
        if (outcome === 'pending' || outcome.status !== 'rejected') continue;
        expect(codeOf(outcome.reason), String(outcome.reason)).toBe('BACKEND');
        expect((outcome.reason as Error).cause).toBeInstanceOf(Error);
      }
      // The first append took the connection warmed up above and sent its statement into the partition: it may have committed.
      expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { outcomeUnknown: true } });
    } finally {
      proxy.heal();
      await store.close();
    }
  });

  it('rejects a call that cannot even connect with BACKEND within the connection timeout, as certainly not stored', async () => {
    const store = storeThroughProxy();
    try {
      proxy.partition();
      const started = Date.now();
      const [outcome] = await settleWithin([store.append('never-connected', { n: 1 }, 0)], 10_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'BACKEND', outcomeUnknown: false } });
      proxy.heal();
      expect(await storedSeqs(schema, 'never-connected')).toEqual([]);
      expect(await store.append('never-connected', { n: 2 }, 0)).toEqual({ ok: true, seq: 1 });
    } finally {
      proxy.heal();
      await store.close();
    }
  });

  it('recovers once the partition heals', async () => {
    const store = storeThroughProxy();
    try {
      expect(await store.append('healed', { n: 1 })).toEqual({ ok: true, seq: 1 });
      proxy.partition();
      await expect(store.append('healed', { n: 2 })).rejects.toMatchObject({ code: 'BACKEND' });
      proxy.heal();
      const result = await store.append('healed', { n: 3 });
      expect(result.ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('the server-side statement timeout', () => {
  it('cancels an append stuck behind a lock: BACKEND, certainly not stored', async () => {
    const store = new PostgresEventStore(databaseUrl, { schema, statementTimeoutMs: 300 });
    const blocker = new pg.Client({ connectionString: databaseUrl });
    await blocker.connect();
    try {
      expect(await store.append('locked', { n: 1 }, 0)).toEqual({ ok: true, seq: 1 });
      await blocker.query('BEGIN');
      await blocker.query(`UPDATE "${schema}".hume_streams SET seq = seq WHERE stream = 'locked'`);
      const error = await store.append('locked', { n: 2 }, 1).catch((reason: unknown) => reason);
      expect(error).toMatchObject({ code: 'BACKEND', outcomeUnknown: false, cause: { code: '57014' } });
      await blocker.query('ROLLBACK');
      expect(await storedSeqs(schema, 'locked')).toEqual([1]);
    } finally {
      await blocker.end();
      await store.close();
    }
  });
});

describe('a connection dropped after the server committed an append, before its reply', () => {
  it('says the outcome is unknown; retrying with the same expect conflicts at expect + 1, and that event is the caller’s', async () => {
    const store = storeThroughProxy();
    try {
      expect(await store.append('after-commit', { id: 'a' }, 0)).toEqual({ ok: true, seq: 1 });
      const dropped = proxy.dropAfterNextWrite();
      const error = await store.append('after-commit', { id: 'mine' }, 1).catch((reason: unknown) => reason);
      // The append's statement: the lone append with an expect stores through the counter CTE.
      expect((await dropped).sql).toContain('INSERT INTO');
      expect(error).toMatchObject({ code: 'BACKEND', outcomeUnknown: true });
      // Settling it, as the README says: the same expect again.
      const retry = await store.append('after-commit', { id: 'mine' }, 1);
      expect(retry).toMatchObject({ ok: false, error: { code: 'UNEXPECTED_SEQ', expected: 1, actual: 2 } });
      const second = [];
      for await (const event of store.events('after-commit', 1)) second.push(event);
      expect(second).toEqual([{ seq: 2, payload: { id: 'mine' } }]);
    } finally {
      await store.close();
    }
  });

  it('says the outcome is unknown for an append without expect too, and never stores it twice', async () => {
    const store = storeThroughProxy();
    try {
      const dropped = proxy.dropAfterNextWrite();
      const error = await store.append('after-commit-no-expect', { id: 'once' }).catch((reason: unknown) => reason);
      await dropped;
      expect(error).toMatchObject({ code: 'BACKEND', outcomeUnknown: true });
      expect(await store.append('after-commit-no-expect', { id: 'next' })).toEqual({ ok: true, seq: 2 });
      expect(await readAll(store, 'after-commit-no-expect')).toEqual([{ id: 'once' }, { id: 'next' }]);
    } finally {
      await store.close();
    }
  });
});
