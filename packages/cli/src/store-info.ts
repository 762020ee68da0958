import { existsSync, statSync } from 'node:fs';
import { BackendError, canListStreams } from '@hume/core';
import type { OpenedStore } from '@hume/open';
import { redactUrl } from '@hume/open';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sqlitePath, sqliteTablePrefix } from './open-cli-store.js';

/** What `hume info` reports. `undefined` where the backend cannot tell. */
export interface StoreInfo {
  readonly backend: string;
  /** The file, or the URL without its password. */
  readonly location: string;
  /** The schema version recorded in the store. */
  readonly schemaVersion: number | undefined;
  readonly streams: number | undefined;
  readonly events: number | undefined;
  /** Bytes on disk: the SQLite file with its WAL, or the PostgreSQL tables with their indexes. */
  readonly bytes: number | undefined;
}

/**
 * Describes a store: counts from its stream listing (contract C12), and the
 * schema version and size from the backend's own tables.
 *
 * @example
 * ```ts
 * const info = await storeInfo('sqlite:events.db', store);
 * ```
 */
export async function storeInfo(url: string, store: OpenedStore): Promise<StoreInfo> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() ?? '';
  const backend = scheme === 'postgresql' ? 'postgres' : scheme;
  const details =
    backend === 'sqlite'
      ? sqliteDetails(url)
      : backend === 'postgres'
        ? await postgresDetails(url)
        : { location: redactUrl(url), schemaVersion: undefined, bytes: undefined };
  // An unmigrated PostgreSQL schema has no tables to list: it holds nothing yet.
  if (backend === 'postgres' && details.schemaVersion === undefined) return { backend, ...details, streams: 0, events: 0 };
  let streams: number | undefined;
  let events: number | undefined;
  if (canListStreams(store)) {
    streams = 0;
    events = 0;
    for await (const { last } of store.streams()) {
      streams++;
      events += last;
    }
  }
  return { backend, ...details, streams, events };
}

type Details = Pick<StoreInfo, 'location' | 'schemaVersion' | 'bytes'>;

function sqliteDetails(url: string): Details {
  const path = sqlitePath(url) ?? '';
  const prefix = sqliteTablePrefix(url);
  if (path === ':memory:') return { location: ':memory:', schemaVersion: undefined, bytes: undefined };
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(`SELECT max(version) AS version FROM "${prefix}schema"`).get() as { version: number | null };
    const wal = `${path}-wal`;
    const bytes = statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0);
    return { location: path, schemaVersion: row.version ?? undefined, bytes };
  } finally {
    db.close();
  }
}

async function postgresDetails(url: string): Promise<Details> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  const prefix = parsed.searchParams.get('tablePrefix') ?? 'hume_';
  for (const name of ['schema', 'tablePrefix', 'readPageSize']) parsed.searchParams.delete(name);
  const client = new pg.Client({ connectionString: parsed.href });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new BackendError(`connecting to ${redactUrl(url)} failed: ${(error as Error).message}`, error);
  }
  try {
    const table = (name: string): string => `"${schema}"."${prefix}${name}"`;
    const { rows } = await client.query<{ migrated: boolean; bytes: string | null }>(
      `SELECT to_regclass($3) IS NOT NULL AS migrated,
              (SELECT sum(pg_total_relation_size(t)) FROM unnest(ARRAY[to_regclass($1), to_regclass($2), to_regclass($3)]) AS t)::text AS bytes`,
      [table('events'), table('streams'), table('migrations')],
    );
    const bytes = rows[0]?.bytes == null ? undefined : Number(rows[0].bytes);
    if (rows[0]?.migrated !== true) return { location: redactUrl(url), schemaVersion: undefined, bytes };
    const version = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${table('migrations')}`);
    return { location: redactUrl(url), schemaVersion: version.rows[0]?.version ?? undefined, bytes };
  } finally {
    await client.end();
  }
}
