import { BackendError, type EventStore, isHumeError, type Json } from '@hume/core';
import { importAdapter } from './import-adapter.js';
import { invalidUrl } from './invalid-url.js';
import type { OpenStoreOptions } from './open-store-options.js';
import { redactUrl } from './redact-url.js';
import type { OpenedStore, StoreOpener } from './store-opener.js';
import { urlOptions } from './url-options.js';

type SqliteModule = typeof import('@hume/sqlite');
type PostgresModule = typeof import('@hume/postgres');
type MemoryModule = typeof import('@hume/memory');

/** The parameters of the PostgreSQL URL that are Hume's options; pg receives the rest. */
const postgresParameters = { schema: 'string', tablePrefix: 'string', readPageSize: 'integer' } as const;

/**
 * `sqlite:events.db`, `sqlite:/var/data/events.db`, `sqlite:///var/data/events.db`,
 * `sqlite::memory:`; query parameters `tablePrefix`, `durability`, `pageSize`,
 * `busyTimeout`. The path is taken as written (no percent-decoding), relative
 * to the working directory unless absolute.
 */
export const openSqlite: StoreOpener = async (url, options) => {
  const [rest = '', query = ''] = splitQuery(url.slice('sqlite:'.length));
  // sqlite:///abs/path is the URL form of an absolute path; sqlite://host/… is not a file.
  let path = rest;
  if (rest.startsWith('//')) {
    if (!rest.startsWith('///'))
      throw invalidUrl(url, 'names a host; write sqlite:/absolute/path, sqlite:///absolute/path or sqlite:relative/path');
    path = rest.slice(2);
  }
  if (path === '') throw invalidUrl(url, 'has no file path: write sqlite:path/to/events.db, or sqlite::memory:');
  const fromUrl = urlOptions(url, new URLSearchParams(query), {
    tablePrefix: 'string',
    durability: 'string',
    pageSize: 'integer',
    busyTimeout: 'integer',
  });
  const { SqliteEventStore } = await importAdapter<SqliteModule>('@hume/sqlite', ['@hume/sqlite', 'better-sqlite3'], 'sqlite:');
  return construct(url, () => new SqliteEventStore(path, { ...fromUrl, ...options.adapter }));
};

/**
 * `postgres://user:password@host:port/database?schema=shop`: the URL goes to
 * `pg` as its connection string, less Hume's own parameters (`schema`,
 * `tablePrefix`, `readPageSize`). Migrated unless `options.migrate` is false.
 */
export const openPostgres: StoreOpener = async (url, options) => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl(url, 'is not a valid URL: write postgres://user:password@host:5432/database');
  }
  const ours = new URLSearchParams();
  for (const name of Object.keys(postgresParameters)) {
    for (const value of parsed.searchParams.getAll(name)) ours.append(name, value);
    parsed.searchParams.delete(name);
  }
  const fromUrl = urlOptions(url, ours, postgresParameters);
  const { PostgresEventStore } = await importAdapter<PostgresModule>('@hume/postgres', ['@hume/postgres', 'pg'], 'postgres:');
  const store = construct(url, () => new PostgresEventStore(parsed.href, { ...fromUrl, ...options.adapter }));
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      if (isHumeError(error)) throw error;
      // The adapter's own errors are typed; a driver's (a refused connection) gets code BACKEND here.
      throw new BackendError(
        `migrating the store at ${redactUrl(url)} failed: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
  }
  return store;
};

/** `memory:`: a fresh, empty in-memory store. */
export const openMemory: StoreOpener = async (url, options) => {
  const [rest = '', query = ''] = splitQuery(url.slice('memory:'.length));
  if (rest !== '') throw invalidUrl(url, 'has something after "memory:"; an in-memory store has no path');
  const fromUrl = urlOptions(url, new URLSearchParams(query), { pageSize: 'integer' });
  const { MemoryEventStore } = await importAdapter<MemoryModule>('@hume/memory', ['@hume/memory'], 'memory:');
  return construct(url, () => new MemoryEventStore<Json>({ ...fromUrl, ...options.adapter }));
};

function splitQuery(text: string): [string, string] {
  const at = text.indexOf('?');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * Runs an adapter's constructor: its `TypeError`s and `RangeError`s about
 * options become `INVALID_ARGUMENT` errors about the URL; storage failures
 * (`BACKEND`) pass through.
 */
function construct<S extends EventStore<Json> & OpenedStore>(url: string, make: () => S): S {
  try {
    return make();
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw invalidUrl(url, `gives a bad option: ${error.message}`);
    throw error;
  }
}

/** Registers the built-in schemes (done once, when @hume/open loads). */
export const builtInSchemes: Readonly<Record<string, StoreOpener>> = {
  sqlite: openSqlite,
  postgres: openPostgres,
  postgresql: openPostgres,
  memory: openMemory,
};

export type { OpenStoreOptions };
