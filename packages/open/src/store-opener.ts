import type { EventStore, Json, StreamListing } from '@hume/core';
import type { OpenStoreOptions } from './open-store-options.js';

/** What `openStore` returns: a store, with `streams()` when the adapter has the C12 listing. */
export type OpenedStore = EventStore<Json> & Partial<StreamListing>;

/**
 * Opens a store for one URL of a scheme. `url` is the whole URL as given
 * (`mystore://host/db`); throw an `INVALID_ARGUMENT` `HumeError` for a bad
 * one, never echoing its password (see `redactUrl`).
 *
 * @example
 * ```ts
 * const opener: StoreOpener = async (url) => new MyStore(new URL(url).pathname);
 * ```
 */
export type StoreOpener = (url: string, options: OpenStoreOptions) => OpenedStore | Promise<OpenedStore>;
