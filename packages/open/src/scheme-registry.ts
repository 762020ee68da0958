import type { StoreOpener } from './store-opener.js';

// On globalThis under a registry symbol, so that an adapter registering
// through its own copy of @hume/open (a CLI installed globally, an app's
// node_modules) reaches the copy that opens the URL.
const key = Symbol.for('@hume/open.schemes');
const scope = globalThis as { [key]?: Map<string, StoreOpener> };
scope[key] ??= new Map();
const schemes: Map<string, StoreOpener> = scope[key];

const schemeName = /^[a-z][a-z0-9+.-]*$/;

/**
 * Teaches `openStore` a URL scheme: URLs that start with `scheme:` are
 * opened by `opener`. For third-party adapters; a registration replaces an
 * earlier one of the same scheme, built-in ones included. Throws a
 * `TypeError` for a scheme name URLs cannot have.
 *
 * @example
 * ```ts
 * registerScheme('redis', async (url) => new RedisEventStore(url));
 * const store = await openStore('redis://localhost:6379/0');
 * ```
 */
export function registerScheme(scheme: string, opener: StoreOpener): void {
  if (typeof scheme !== 'string' || !schemeName.test(scheme)) {
    throw new TypeError(
      `scheme must be lowercase letters, digits, "+", "-" or ".", starting with a letter, without the colon (got ${JSON.stringify(scheme)})`,
    );
  }
  if (typeof opener !== 'function') throw new TypeError(`opener must be a function (got ${typeof opener})`);
  schemes.set(scheme, opener);
}

/** The opener registered for `scheme`, if any. */
export function registeredOpener(scheme: string): StoreOpener | undefined {
  return schemes.get(scheme);
}

/** The schemes registered so far, sorted. */
export function registeredSchemes(): string[] {
  return [...schemes.keys()].sort();
}
