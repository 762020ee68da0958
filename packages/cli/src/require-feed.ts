import type { FeedEvent, FeedOptions, Json } from '@hume/core';
import { CliError } from './cli-error.js';

/**
 * The store as a feed, or a `CliError` saying it has no global feed (the
 * optional capability of contract C13).
 *
 * @example
 * ```ts
 * for await (const event of requireFeed(store, 'the store').feed()) console.log(event.position);
 * ```
 */
export function requireFeed<S extends { feed?: unknown }>(
  store: S,
  role: string,
): S & { feed(after?: string, options?: FeedOptions): AsyncIterable<FeedEvent<Json>> } {
  if (typeof store.feed === 'function') return store as S & { feed(after?: string, options?: FeedOptions): AsyncIterable<FeedEvent<Json>> };
  throw new CliError(
    'UNSUPPORTED',
    `${role} has no global feed: its adapter has no feed() (contract C13)`,
    'upgrade the adapter, or read one stream with hume read <url> <stream>',
  );
}
