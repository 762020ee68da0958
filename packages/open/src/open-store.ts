import type { EventStore, Json, JsonShaped, StreamListing } from '@hume/core';
import { builtInSchemes } from './built-in-schemes.js';
import { invalidUrl } from './invalid-url.js';
import type { OpenStoreOptions } from './open-store-options.js';
import { registeredOpener, registeredSchemes } from './scheme-registry.js';

/**
 * Opens a Hume event store from a URL, loading its adapter package on
 * demand:
 *
 * - `sqlite:path/to/events.db`, `sqlite:///absolute/events.db`, `sqlite::memory:`
 *   (`@hume/sqlite` and `better-sqlite3`);
 * - `postgres://user:password@host:5432/db` or `postgresql://…`, migrated
 *   unless `options.migrate` is `false` (`@hume/postgres` and `pg`);
 * - `memory:` (`@hume/memory`);
 * - any scheme an adapter registered with {@link registerScheme}.
 *
 * A bad URL rejects with code `INVALID_ARGUMENT` (its password never
 * appears in the message); a missing adapter package with code
 * `INVALID_MODULE`, naming what to install; a database that cannot be
 * reached with code `BACKEND`. The caller closes the store.
 *
 * @example
 * ```ts
 * const store = await openStore(process.env.EVENTS_URL ?? 'sqlite:events.db');
 * await store.append('cart-1', { type: 'opened' }, 0);
 * await store.close?.();
 * ```
 */
export async function openStore<P extends JsonShaped<P> = Json>(
  url: string,
  options: OpenStoreOptions = {},
): Promise<EventStore<P> & Partial<StreamListing>> {
  if (typeof url !== 'string' || url === '') {
    throw invalidUrl(String(url), 'must be a non-empty string such as sqlite:events.db, postgres://host/db or memory:');
  }
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`options must be an object (got ${options === null ? 'null' : typeof options})`);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw invalidUrl(url, `has no scheme: start it with one of ${knownSchemes().join(', ')} (for a SQLite file, sqlite:${url})`);
  }
  const opener = registeredOpener(scheme) ?? builtInSchemes[scheme];
  if (opener === undefined) throw invalidUrl(url, `has an unknown scheme "${scheme}:" (known: ${knownSchemes().join(', ')})`);
  // Stores are contravariant in P through append; the adapter stores any JSON, so this narrowing is the caller's typing.
  return (await opener(url, options)) as unknown as EventStore<P> & Partial<StreamListing>;
}

function knownSchemes(): string[] {
  return [...new Set([...Object.keys(builtInSchemes), ...registeredSchemes()])].map((scheme) => `${scheme}:`);
}
