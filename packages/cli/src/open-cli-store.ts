import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type OpenedStore, openStore } from '@hume/open';
import Database from 'better-sqlite3';
import { CliError } from './cli-error.js';

/**
 * Opens a store the command only reads: never creates anything. A SQLite
 * URL must name an existing file (opening a missing one would create it), and
 * PostgreSQL is not migrated.
 *
 * @example
 * ```ts
 * const store = await openForReading('sqlite:events.db');
 * ```
 */
export async function openForReading(url: string): Promise<OpenedStore> {
  const path = sqlitePath(url);
  if (path !== undefined && path !== ':memory:' && !existsSync(path)) {
    throw new CliError('NOT_FOUND', `no such SQLite file: ${path}`, 'check the path; commands that write (append, copy, import) create it');
  }
  if (path !== undefined && path !== ':memory:') requireSqliteStore(path, sqliteTablePrefix(url));
  return openStore(url, { migrate: false });
}

/**
 * Refuses a SQLite file without Hume's tables: opening it as a store would
 * create them, and a command that only reads must leave another
 * application's database (or an empty file) as it found it.
 */
function requireSqliteStore(path: string, prefix: string): void {
  let found: boolean;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      found = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(`${prefix}schema`) !== undefined;
    } finally {
      db.close();
    }
  } catch (error) {
    throw new CliError('NOT_A_STORE', `${path} is not a SQLite database: ${(error as Error).message}`, 'check the path');
  }
  if (!found) {
    throw new CliError(
      'NOT_A_STORE',
      `${path} holds no Hume store (no table ${prefix}schema)`,
      'check the path and ?tablePrefix=; commands that write (append, copy, import) create a store',
    );
  }
}

/** The table prefix of a `sqlite:` URL (`?tablePrefix=`), as @hume/open reads it. */
export function sqliteTablePrefix(url: string): string {
  return new URLSearchParams(url.split('?')[1] ?? '').get('tablePrefix') ?? 'hume_';
}

/**
 * Opens a store the command writes to: a SQLite file is created when
 * missing, and PostgreSQL is migrated unless `migrate` is false.
 *
 * @example
 * ```ts
 * const store = await openForWriting('postgres://localhost/shop', true);
 * ```
 */
export async function openForWriting(url: string, migrate: boolean): Promise<OpenedStore> {
  return openStore(url, { migrate });
}

/** The file path of a `sqlite:` URL, as @hume/open reads it; `undefined` for other schemes. */
export function sqlitePath(url: string): string | undefined {
  if (!/^sqlite:/i.test(url)) return undefined;
  const rest = url.slice('sqlite:'.length).split('?')[0] ?? '';
  return rest.startsWith('///') ? rest.slice(2) : rest;
}

/**
 * Imports the modules of `--import`, which register third-party URL schemes
 * (`registerScheme` from @hume/open). Paths are taken from the working
 * directory; other names are packages resolved from there.
 *
 * @example
 * ```ts
 * await importSchemeModules(['./my-adapter.js']);
 * ```
 */
export async function importSchemeModules(modules: readonly string[], cwd = process.cwd()): Promise<void> {
  for (const name of modules) {
    let target: string;
    try {
      target =
        name.startsWith('.') || isAbsolute(name)
          ? pathToFileURL(resolve(cwd, name)).href
          : pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(name)).href;
      await import(target);
    } catch (error) {
      throw new CliError(
        'INVALID_MODULE',
        `--import ${name} failed: ${(error as Error).message}`,
        'check the module path or install the package',
      );
    }
  }
}
