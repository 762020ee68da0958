import { PostgresEventStore, SCHEMA_VERSION } from '@hume/postgres';
import { describe, expect, it } from 'vitest';
import { admin, databaseUrl, range, schemaName } from './database.js';

describe('migrate()', () => {
  it('creates the schema and tables, records each version once, and does nothing the second time', async () => {
    const schema = schemaName('migrate_once');
    const store = new PostgresEventStore(databaseUrl, { schema });
    try {
      expect(await store.migrate()).toEqual({ from: 0, to: SCHEMA_VERSION });
      expect(await store.migrate()).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
      const versions = await admin<{ version: number }>(`SELECT version FROM "${schema}".hume_migrations ORDER BY version`);
      expect(versions).toEqual(range(1, SCHEMA_VERSION).map((version) => ({ version })));
    } finally {
      await store.close();
    }
  });

  it('is safe when several processes run it at the same moment: all succeed and each version is recorded once', async () => {
    for (const round of range(1, 5)) {
      const schema = schemaName(`migrate_race_${round}`);
      const stores = range(1, 4).map(() => new PostgresEventStore(databaseUrl, { schema }));
      try {
        const results = await Promise.all(stores.map((store) => store.migrate()));
        for (const result of results) expect(result.to).toBe(SCHEMA_VERSION);
        const versions = await admin<{ version: number }>(`SELECT version FROM "${schema}".hume_migrations ORDER BY version`);
        expect(versions).toEqual(range(1, SCHEMA_VERSION).map((version) => ({ version })));
        expect(await stores[0]?.append('after-race', { round })).toEqual({ ok: true, seq: 1 });
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    }
  });

  it('refuses a schema recorded by a newer release rather than guessing', async () => {
    const schema = schemaName('migrate_newer');
    const store = new PostgresEventStore(databaseUrl, { schema });
    try {
      await store.migrate();
      await admin(`INSERT INTO "${schema}".hume_migrations (version, description) VALUES (${SCHEMA_VERSION + 1}, 'from the future')`);
      await expect(store.migrate()).rejects.toMatchObject({ code: 'BACKEND', message: expect.stringMatching(/newer than this/) });
    } finally {
      await store.close();
    }
  });

  it('refuses citus: true on a PostgreSQL without the citus extension, saying what to install, and creates no tables', async () => {
    const schema = schemaName('migrate_no_citus');
    const store = new PostgresEventStore(databaseUrl, { schema, citus: true });
    try {
      await expect(store.migrate()).rejects.toMatchObject({
        code: 'BACKEND',
        message: expect.stringMatching(/citus extension is not installed/),
      });
      expect(await admin('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('leaves appends failing with BACKEND and a hint until it has run', async () => {
    const store = new PostgresEventStore(databaseUrl, { schema: schemaName('never_migrated') });
    try {
      const rejection = await store.append('s', 1).catch((error: unknown) => error);
      expect(rejection).toMatchObject({ code: 'BACKEND', message: expect.stringMatching(/run migrate\(\) first/) });
      expect((rejection as Error).cause).toMatchObject({ code: '42P01' });
    } finally {
      await store.close();
    }
  });
});
