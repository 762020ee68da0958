import type { InvalidArgumentError } from './invalid-argument-error.js';
import { type SerializeOptions, serializePayload } from './serialize-payload.js';

/**
 * Checks that a payload round-trips through JSON unchanged (clause C5):
 * only `null`, booleans, finite numbers, well-formed strings, dense arrays
 * without extra properties, and plain objects with string keys, without
 * cycles, getters, `toJSON` or Proxies, at most `MAX_PAYLOAD_DEPTH` levels
 * deep and at most `maxBytes` (default 16 MiB) of JSON text. Returns the
 * error, naming the path of the first offending value, or `undefined`.
 *
 * It is {@link serializePayload} without the text: an adapter that stores
 * the payload should call that instead (or `prepareAppend`), so that what
 * it stores is what was checked.
 *
 * `-0` passes: JSON stores it as `0`, which the contract documents.
 *
 * @example
 * ```ts
 * checkPayload({ at: new Date() }); // InvalidArgumentError: payload.at must be a plain object or array (got a Date) …
 * ```
 */
export function checkPayload(payload: unknown, options?: SerializeOptions): InvalidArgumentError | undefined {
  const result = serializePayload(payload, options);
  return result.ok ? undefined : result.error;
}
