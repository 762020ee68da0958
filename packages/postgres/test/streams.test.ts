import { PostgresEventStore } from '@hume/postgres';
import { describe, expect, it } from 'vitest';
import { admin, databaseUrl, schemaName } from './database.js';

describe('streams()', () => {
  it('pages on the name index in code-point order, whatever the database collation, without sorting the table', async () => {
    const schema = schemaName('streams_index');
    const store = new PostgresEventStore(databaseUrl, { schema, readPageSize: 3 });
    try {
      await store.migrate();
      await admin(`INSERT INTO "${schema}".hume_streams (stream, seq) SELECT 's-' || g, g FROM generate_series(1, 20000) g`);
      await admin(`ANALYZE "${schema}".hume_streams`);
      const listed: string[] = [];
      for await (const { stream, last } of store.streams({ prefix: 's-1999' })) listed.push(`${stream}:${last}`);
      expect(listed).toEqual([
        's-1999:1999',
        's-19990:19990',
        's-19991:19991',
        's-19992:19992',
        's-19993:19993',
        's-19994:19994',
        's-19995:19995',
        's-19996:19996',
        's-19997:19997',
        's-19998:19998',
        's-19999:19999',
      ]);
      const plan = await admin<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT stream, seq FROM "${schema}".hume_streams WHERE stream COLLATE "C" > 's-5' AND stream COLLATE "C" >= '' ORDER BY stream COLLATE "C" LIMIT 512`,
      );
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('hume_streams_c');
      expect(text).not.toContain('Sort');
    } finally {
      await store.close();
    }
  });
});
