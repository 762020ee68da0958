import { PostgresEventStore } from '@hume/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, databaseUrl, schemaName } from './database.js';

// Databases of this run's own (the server may be shared, see global-setup.ts), in the C locale, which every encoding accepts.
const databases = { SQL_ASCII: `${schemaName('sql_ascii')}`, LATIN1: `${schemaName('latin1')}` };

function urlOf(database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.href;
}

beforeAll(async () => {
  for (const [encoding, name] of Object.entries(databases)) {
    await admin(`CREATE DATABASE "${name}" ENCODING '${encoding}' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
  }
});
afterAll(async () => {
  for (const name of Object.values(databases)) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe.each(Object.entries(databases))('a database encoded %s', (encoding, database) => {
  it('is refused by migrate(), which says what to do, and gets no tables', async () => {
    const store = new PostgresEventStore(urlOf(database));
    try {
      const error = await store.migrate().catch((reason: unknown) => reason);
      expect(error).toMatchObject({ code: 'BACKEND' });
      expect((error as Error).message).toContain(`is encoded ${encoding}`);
      expect((error as Error).message).toContain("ENCODING 'UTF8'");
    } finally {
      await store.close();
    }
    const store2 = new PostgresEventStore(urlOf(database));
    try {
      // Nothing was created: the first use of a store never migrated says the same, not "run migrate() first".
      const appended = await store2.append('s', { text: 'café' }).catch((reason: unknown) => reason);
      expect(appended).toMatchObject({ code: 'BACKEND', outcomeUnknown: false });
      expect((appended as Error).message).toContain("ENCODING 'UTF8'");
      const read = store2.events('s')[Symbol.asyncIterator]().next();
      await expect(read).rejects.toMatchObject({ code: 'BACKEND', message: expect.stringContaining(`is encoded ${encoding}`) });
    } finally {
      await store2.close();
    }
  });
});
