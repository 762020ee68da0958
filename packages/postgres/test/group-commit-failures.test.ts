import { PostgresEventStore } from '@hume/postgres';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { GroupCommit, type Unit, type UnitOutcome } from '../src/postgres-group-commit.js';
import { databaseUrl, range, schemaName, storedSeqs } from './database.js';

const limits = { inFlight: 1, events: 10_000, chars: 1 << 22 };

/** Outcomes as the database would give them for units without expect, one counter per stream. */
function counting(): (units: readonly Unit[]) => UnitOutcome[] {
  const last = new Map<string, number>();
  return (units) =>
    units.map((unit) => {
      const seq = (last.get(unit.stream) ?? 0) + unit.payloads.length;
      last.set(unit.stream, seq);
      return { ok: true, seq };
    });
}

const unit = (stream: string, payload: string): Unit => ({ stream, payloads: [payload], expect: undefined });

describe('GroupCommit when committing throws', () => {
  for (const [how, fail] of [
    [
      'throws synchronously',
      (): never => {
        throw new Error('injected');
      },
    ],
    ['rejects', (): Promise<never> => Promise.reject(new Error('injected'))],
    ['returns too few outcomes', (): Promise<UnitOutcome[]> => Promise.resolve([])],
  ] as const) {
    it(`rejects exactly the units of the group whose commit ${how}, and the queue goes on`, async () => {
      const ok = counting();
      let call = 0;
      const group = new GroupCommit((units) => {
        call++;
        return call === 2 ? fail() : Promise.resolve(ok(units));
      }, limits);
      const first = group.submit(unit('s', 'a')); // alone, commit 1
      const second = [group.submit(unit('s', 'b')), group.submit(unit('t', 'c'))]; // together, commit 2: fails
      expect(await first).toEqual({ ok: true, seq: 1 });
      for (const outcome of await Promise.allSettled(second)) {
        expect(outcome.status).toBe('rejected');
      }
      // The streams of the failed group are not wedged: the next units on them go through.
      expect(await Promise.all([group.submit(unit('s', 'd')), group.submit(unit('t', 'e'))])).toEqual([
        { ok: true, seq: 2 },
        { ok: true, seq: 1 },
      ]);
    });
  }

  it('rejects a unit whose payload is not text (the defect of the 1.0 batcher) alone, and commits the others', async () => {
    const group = new GroupCommit((units) => Promise.resolve(counting()(units)), limits);
    const broken = { stream: 's', payloads: [undefined as unknown as string], expect: undefined };
    const outcomes = await Promise.allSettled([group.submit(unit('s', 'a')), group.submit(broken), group.submit(unit('s', 'b'))]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await group.submit(unit('s', 'c'))).toMatchObject({ ok: true });
  });

  it('never leaves a rejection unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const group = new GroupCommit(() => {
        throw new Error('injected');
      }, limits);
      const outcomes = await Promise.allSettled(range(1, 5).map((i) => group.submit(unit(`s${i % 2}`, String(i)))));
      expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

/**
 * A real pool whose next `failures` calls of `connect` (the store borrows a connection for each statement)
 * throw synchronously, as a driver bug or a bad argument would.
 */
function faultyPool(): { pool: pg.Pool; failNext: (count: number) => void } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  let failures = 0;
  pool.connect = ((...args: unknown[]) => {
    if (failures > 0) {
      failures--;
      throw new TypeError('injected: the driver threw while building the statement');
    }
    return connect(...args);
  }) as typeof pool.connect;
  return { pool, failNext: (count) => (failures = count) };
}

describe('a store whose driver throws while a group commit is built', () => {
  it('rejects that group with BACKEND, leaves no stream wedged, and appends again', async () => {
    const schema = schemaName('faulty_driver');
    const { pool, failNext } = faultyPool();
    const store = new PostgresEventStore(pool, { schema });
    try {
      await store.migrate();
      const lone = store.append('faulty-a', 'alone');
      failNext(1);
      const grouped = [store.append('faulty-a', 'x'), store.append('faulty-b', 'y', 0), store.appendMany('faulty-a', ['z1', 'z2'])];
      expect(await lone).toEqual({ ok: true, seq: 1 });
      for (const outcome of await Promise.allSettled(grouped)) {
        expect(outcome).toMatchObject({
          status: 'rejected',
          reason: { code: 'BACKEND', cause: { message: expect.stringMatching(/injected/) } },
        });
      }
      expect(await Promise.all([store.append('faulty-a', 'after'), store.append('faulty-b', 'after', 0)])).toEqual([
        { ok: true, seq: 2 },
        { ok: true, seq: 1 },
      ]);
      expect(await storedSeqs(schema, 'faulty-a')).toEqual([1, 2]);
    } finally {
      await store.close();
      await pool.end();
    }
  });
});
