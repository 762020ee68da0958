import { InvalidArgumentError } from '@hume/core';
import { redactUrl } from './redact-url.js';

/**
 * An `INVALID_ARGUMENT` error about a store URL, naming the URL with its
 * password hidden.
 *
 * @example
 * ```ts
 * throw invalidUrl('sqlite:', 'needs a file path after "sqlite:" (or ":memory:")');
 * ```
 */
export function invalidUrl(url: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError('url', `${JSON.stringify(redactUrl(url))} ${reason}`);
}
