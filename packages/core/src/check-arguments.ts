import { checkPayload } from './check-payload.js';
import { checkExpect, checkFrom } from './check-seq.js';
import { checkStream } from './check-stream.js';
import type { InvalidArgumentError } from './invalid-argument-error.js';

/**
 * Checks the arguments of `append` with the shared rules, so that every
 * adapter refuses exactly the same inputs with the same messages. Returns
 * the first problem, or `undefined`.
 *
 * @example
 * ```ts
 * async append(stream, payload, expect) {
 *   const invalid = checkAppend(stream, payload, expect);
 *   if (invalid) return { ok: false, error: invalid };
 *   // … store it
 * }
 * ```
 */
export function checkAppend(stream: unknown, payload: unknown, expect: unknown): InvalidArgumentError | undefined {
  return checkStream(stream) ?? checkExpect(expect) ?? checkPayload(payload);
}

/**
 * Checks the arguments of `events` with the shared rules. Throw the result
 * from inside an async generator so that it rejects the first `next()`
 * rather than the call.
 *
 * @example
 * ```ts
 * async *events(stream, from = 0) {
 *   const invalid = checkEvents(stream, from);
 *   if (invalid) throw invalid;
 *   // … yield pages
 * }
 * ```
 */
export function checkEvents(stream: unknown, from: unknown): InvalidArgumentError | undefined {
  return checkStream(stream) ?? checkFrom(from);
}
