import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, Json, JsonShaped } from '@hume/core';
import { MemoryEventStore } from '@hume/memory';
import { PostgresEventStore } from '@hume/postgres';
import { SqliteEventStore } from '@hume/sqlite';
import { afterAll, inject } from 'vitest';

/** A temp folder for this test file, removed after it. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hume-projections-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens stores on fresh data: `open()` gives a new store, `again()` another instance on the same data. */
export interface StoreKind {
  readonly name: string;
  open<P extends JsonShaped<P> = Json>(): Promise<{ store: EventStore<P>; again(): Promise<EventStore<P>> }>;
}

let files = 0;

export const memoryKind: StoreKind = {
  name: 'memory',
  async open<P extends JsonShaped<P> = Json>() {
    const store = new MemoryEventStore<P>();
    // One process, one map: another instance on the same data is the same store.
    return { store, again: async () => store };
  },
};

export function sqliteKind(dir: string): StoreKind {
  return {
    name: 'sqlite file',
    async open<P extends JsonShaped<P> = Json>() {
      const file = join(dir, `store-${++files}.db`);
      return { store: new SqliteEventStore<P>(file), again: async () => new SqliteEventStore<P>(file) };
    },
  };
}

let schemas = 0;

/** PostgreSQL: each `open()` a fresh schema of this run on the test server, migrated. */
export function postgresKind(): StoreKind {
  return {
    name: 'postgres',
    async open<P extends JsonShaped<P> = Json>() {
      const schema = `${inject('schemaPrefix')}_proj${++schemas}_${process.pid}`;
      const store = new PostgresEventStore<P>(inject('databaseUrl'), { schema });
      await store.migrate();
      return { store, again: async () => new PostgresEventStore<P>(inject('databaseUrl'), { schema }) };
    },
  };
}
