import { checkExpect } from './check-seq.js';
import { checkStream } from './check-stream.js';
import type { InvalidArgumentError } from './invalid-argument-error.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, serializePayload } from './serialize-payload.js';

/** Options of {@link prepareAppend}. */
export interface PrepareAppendOptions {
  /** The store's maximum payload size, in UTF-8 bytes of JSON text. Default 16 MiB. */
  readonly maxPayloadBytes?: number;
}

/** What {@link prepareAppend} returns: the payload's JSON text to store, or the refusal to return. */
export type PreparedAppend = { readonly ok: true; readonly json: string } | { readonly ok: false; readonly error: InvalidArgumentError };

/**
 * Checks the arguments of `append` with the shared rules (the stream, then
 * `expect`, then the payload) and serialises the payload in the same pass
 * as its check, so an adapter stores exactly what was checked. Never throws.
 *
 * @example
 * ```ts
 * async append(stream, payload, expect) {
 *   const prepared = prepareAppend(stream, payload, expect, { maxPayloadBytes: this.#maxPayloadBytes });
 *   if (!prepared.ok) return prepared;
 *   // … store prepared.json
 * }
 * ```
 */
export function prepareAppend(stream: unknown, payload: unknown, expect: unknown, options: PrepareAppendOptions = {}): PreparedAppend {
  const invalid = checkStream(stream) ?? checkExpect(expect);
  if (invalid) return { ok: false, error: invalid };
  const serialized = serializePayload(payload, { maxBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES });
  return serialized.ok ? { ok: true, json: serialized.json } : serialized;
}
