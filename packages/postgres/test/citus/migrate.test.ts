import { PostgresEventStore } from '@hume/postgres';
import { describe, expect, it } from 'vitest';
import { admin, databaseUrl, migratedStore, range, schemaName } from '../database.js';

async function readAll(store: PostgresEventStore, stream: string): Promise<unknown[]> {
  const payloads: unknown[] = [];
  for await (const event of store.events(stream)) payloads.push(event.payload);
  return payloads;
}

async function distributedTables(schema: string): Promise<string[]> {
  const rows = await admin<{ table: string }>(
    `SELECT logicalrelid::text AS table FROM pg_dist_partition WHERE logicalrelid::text LIKE $1 ORDER BY 1`,
    [`${schema}.%`],
  );
  return rows.map((row) => row.table);
}

describe('migrate() on Citus', () => {
  it('moves an existing database to Citus: every event and counter copied into the shards, appends carry on at the next seqs', async () => {
    const schema = schemaName('citus_existing');
    const local = await migratedStore(schema);
    const streams = range(1, 20).map((i) => `existing-${i}`);
    try {
      for (const stream of streams) {
        expect(
          await local.appendMany(
            stream,
            [
              { stream, n: 1 },
              { stream, n: 2 },
            ],
            0,
          ),
        ).toMatchObject({ ok: true, seq: 2 });
        expect(await local.append(stream, { stream, n: 3 }, 2)).toEqual({ ok: true, seq: 3 });
      }
    } finally {
      await local.close();
    }
    expect(await distributedTables(schema)).toEqual([]);

    const distributed = new PostgresEventStore(databaseUrl, { schema, citus: true });
    try {
      expect(await distributed.migrate()).toMatchObject({ from: expect.any(Number) });
      expect(await distributedTables(schema)).toEqual([`${schema}.hume_events`, `${schema}.hume_streams`]);
      for (const stream of streams) {
        expect(await readAll(distributed, stream)).toEqual([1, 2, 3].map((n) => ({ stream, n })));
        expect(await distributed.append(stream, { stream, n: 4 }, 3)).toEqual({ ok: true, seq: 4 });
        expect(await distributed.append(stream, { stream, n: 5 })).toEqual({ ok: true, seq: 5 });
      }
      const listed: string[] = [];
      for await (const { stream, last } of distributed.streams({ prefix: 'existing-' })) {
        expect(last).toBe(5);
        listed.push(stream);
      }
      expect(listed).toEqual([...streams].sort());
      // The rows copied into the shards no longer take room on the coordinator's disk.
      const [left] = await admin<{ events: string; streams: string }>(
        `SELECT pg_relation_size('"${schema}".hume_events')::text AS events, pg_relation_size('"${schema}".hume_streams')::text AS streams`,
      );
      expect(left).toEqual({ events: '0', streams: '0' });
      // Again: nothing left to do.
      await distributed.migrate();
      expect(await distributed.append(streams[0] as string, { n: 6 }, 5)).toEqual({ ok: true, seq: 6 });
    } finally {
      await distributed.close();
    }
  });

  it('distributes once when several processes migrate with citus: true at the same moment', async () => {
    const schema = schemaName('citus_race');
    const stores = range(1, 4).map(() => new PostgresEventStore(databaseUrl, { schema, citus: true }));
    try {
      await Promise.all(stores.map((store) => store.migrate()));
      expect(await distributedTables(schema)).toEqual([`${schema}.hume_events`, `${schema}.hume_streams`]);
      expect(await stores[0]?.append('after-race', 1)).toEqual({ ok: true, seq: 1 });
      expect(await stores[1]?.append('after-race', 2, 1)).toEqual({ ok: true, seq: 2 });
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('refuses, without citus: true, tables Citus distributes, saying which option to set', async () => {
    const schema = schemaName('citus_no_option');
    await (await migratedStore(schema, { citus: true })).close();
    const store = new PostgresEventStore(databaseUrl, { schema });
    try {
      await expect(store.migrate()).rejects.toMatchObject({
        code: 'BACKEND',
        message: expect.stringMatching(/open the store with \{ citus: true \}/),
      });
    } finally {
      await store.close();
    }
  });

  it('refuses citus: true on a database without the citus extension, saying what to do', async () => {
    await admin('DROP DATABASE IF EXISTS hume_no_citus');
    await admin("CREATE DATABASE hume_no_citus ENCODING 'UTF8' TEMPLATE template0");
    const url = new URL(databaseUrl);
    url.pathname = '/hume_no_citus';
    const store = new PostgresEventStore(url.href, { schema: 'plain', citus: true });
    try {
      await expect(store.migrate()).rejects.toMatchObject({
        code: 'BACKEND',
        message: expect.stringMatching(/citus extension is not installed/),
      });
    } finally {
      await store.close();
      await admin('DROP DATABASE hume_no_citus');
    }
  });
});
