import { canListStreams, type StreamInfo, type StreamsOptions } from '@hume/core';
import { CliError } from './cli-error.js';

/**
 * The store as a stream lister, or a `CliError` saying it cannot list its
 * streams (the optional capability of contract C12).
 *
 * @example
 * ```ts
 * for await (const info of requireListing(store, 'the store').streams()) console.log(info);
 * ```
 */
export function requireListing<S extends object>(
  store: S,
  role: string,
): S & { streams(options?: StreamsOptions): AsyncIterable<StreamInfo> } {
  if (canListStreams(store)) return store;
  throw new CliError(
    'UNSUPPORTED',
    `${role} cannot list its streams: its adapter has no streams() (contract C12)`,
    'upgrade the adapter, or use a store that lists streams',
  );
}
