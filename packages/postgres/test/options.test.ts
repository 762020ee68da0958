import { PostgresEventStore } from '@hume/postgres';
import { describe, expect, it } from 'vitest';
import { admin, databaseUrl, newPool, schemaName } from './database.js';

describe('options', () => {
  it.each([
    ['an uppercase schema', { schema: 'Events' }, /schema must be lowercase/],
    ['a quote in the schema', { schema: 'x"; DROP TABLE users; --' }, /schema must be lowercase/],
    ['a space in the schema', { schema: 'my events' }, /schema must be lowercase/],
    ['an empty schema', { schema: '' }, /schema must be lowercase/],
    ['a schema starting with a digit', { schema: '1events' }, /schema must be lowercase/],
    ['a non-ASCII schema', { schema: 'événements' }, /schema must be lowercase/],
    ['a schema longer than 63 bytes', { schema: 'a'.repeat(64) }, /schema must be at most 63/],
    ['a dot in the table prefix', { tablePrefix: 'a.b_' }, /tablePrefix must be lowercase/],
    ['a table prefix that makes names past 63 bytes', { tablePrefix: 'p'.repeat(60) }, /tablePrefix must be at most 53/],
    ['a zero page size', { readPageSize: 0 }, /readPageSize must be an integer/],
    ['a fractional page size', { readPageSize: 2.5 }, /readPageSize must be an integer/],
    [
      'a maximum payload below 2 MiB',
      { maxPayloadBytes: 1024 },
      /^maxPayloadBytes must be an integer from 2097152 \(2 MiB\) to 536870888 \(got 1024\)$/,
    ],
    ['a zero byte budget', { readPageBytes: 0 }, /readPageBytes must be a positive integer number of bytes \(got 0\)/],
    ['a negative connection timeout', { connectionTimeoutMs: -1 }, /connectionTimeoutMs must be an integer number of milliseconds/],
    ['a fractional statement timeout', { statementTimeoutMs: 0.5 }, /statementTimeoutMs must be an integer number of milliseconds/],
    ['a query timeout past what a timer holds', { queryTimeoutMs: 2 ** 31 }, /queryTimeoutMs must be an integer number of milliseconds/],
    ['a keepalive delay given as a string', { keepAliveDelayMs: '10' as unknown as number }, /keepAliveDelayMs must be an integer/],
    ['citus given as a string', { citus: 'yes' as unknown as boolean }, /^citus must be true or false \(got yes\)$/],
  ])('refuses %s with a RangeError naming the option', (_, options, message) => {
    expect(() => new PostgresEventStore(databaseUrl, options)).toThrow(message);
    expect(() => new PostgresEventStore(databaseUrl, options)).toThrow(RangeError);
  });

  it('refuses an unknown option with a TypeError naming it', () => {
    expect(() => new PostgresEventStore(databaseUrl, { bogus: 1 } as never)).toThrow(TypeError);
    expect(() => new PostgresEventStore(databaseUrl, { bogus: 1 } as never)).toThrow(
      /^options\.bogus is not an option \(the options are: schema, tablePrefix, readPageSize/,
    );
    expect(() => new PostgresEventStore(databaseUrl, { pageSize: 10 } as never)).toThrow(/^options\.pageSize is not an option/);
  });

  it.each(['connectionTimeoutMs', 'statementTimeoutMs', 'keepAliveDelayMs'])(
    'refuses %s with a pool of the caller’s, which the option could not configure, and says what to set instead',
    (option) => {
      const pool = newPool();
      try {
        expect(() => new PostgresEventStore(pool, { [option]: 1000 })).toThrow(
          /configures the pool the store creates .* on your own pg.Pool/,
        );
      } finally {
        void pool.end();
      }
    },
  );

  it('accepts queryTimeoutMs with a pool of the caller’s: the store times its own statements on any pool', async () => {
    const pool = newPool();
    const store = new PostgresEventStore(pool, { schema: schemaName('custom_timeout'), queryTimeoutMs: 5_000 });
    try {
      expect((await store.migrate()).to).toBeGreaterThan(0);
      expect(await store.append('s', { n: 1 })).toEqual({ ok: true, seq: 1 });
    } finally {
      await store.close();
      await pool.end();
    }
  });

  it('refuses something that is neither a pool nor a connection string', () => {
    expect(() => new PostgresEventStore({} as never)).toThrow(/pool must be a pg.Pool or a connection string/);
  });

  it('puts the tables in the schema, under the prefix, given', async () => {
    const schema = schemaName('custom');
    const store = new PostgresEventStore(databaseUrl, { schema, tablePrefix: 'billing_' });
    try {
      await store.migrate();
      expect(await store.append('invoice-1', { total: 10 }, 0)).toEqual({ ok: true, seq: 1 });
      const tables = await admin<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY 1', [schema]);
      expect(tables.map((table) => table.tablename)).toEqual([
        'billing_checkpoints',
        'billing_events',
        'billing_migrations',
        'billing_snapshots',
        'billing_streams',
      ]);
    } finally {
      await store.close();
    }
  });

  it('leaves a pool it was given open on close(), and ends one it created', async () => {
    const pool = newPool();
    const borrowing = new PostgresEventStore(pool, { schema: schemaName('custom'), tablePrefix: 'billing_' });
    await borrowing.append('invoice-2', { total: 1 });
    await borrowing.close();
    expect(pool.ended).toBe(false);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
    await expect(borrowing.append('invoice-2', { total: 2 })).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
