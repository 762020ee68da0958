import { types } from 'node:util';
import { checkExpect } from './check-seq.js';
import { checkStream } from './check-stream.js';
import { describeValue } from './describe-value.js';
import { InvalidArgumentError } from './invalid-argument-error.js';
import type { PrepareAppendOptions } from './prepare-append.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, serializeArgument } from './serialize-payload.js';

/**
 * The most events one `appendMany` takes unless the store allows more:
 * 10,000, the least clause C11.6 lets a store accept. The batch's JSON texts
 * together are limited too, by default to the store's `maxPayloadBytes`.
 */
export const DEFAULT_MAX_BATCH_EVENTS = 10_000;

/** Options of {@link prepareAppendMany}. */
export interface PrepareAppendManyOptions extends PrepareAppendOptions {
  /** The most events one batch may hold; at least 10,000. Default {@link DEFAULT_MAX_BATCH_EVENTS}. */
  readonly maxBatchEvents?: number;
  /** The most UTF-8 bytes of JSON text the batch may hold in total; at least `maxPayloadBytes`, its default. */
  readonly maxBatchBytes?: number;
}

/** What {@link prepareAppendMany} returns: the payloads' JSON texts to store, in order, or the refusal to return. */
export type PreparedAppendMany =
  | { readonly ok: true; readonly json: readonly string[] }
  | { readonly ok: false; readonly error: InvalidArgumentError };

/**
 * Checks the arguments of `appendMany` with the shared rules and serialises
 * every payload in the pass that checks it, like `prepareAppend`: the
 * stream, then `expect`, then `payloads`, a non-empty array of at most
 * `maxBatchEvents` (default 10,000) payloads, each of at most
 * `maxPayloadBytes` (default 16 MiB) and together of at most
 * `maxBatchBytes` (default `maxPayloadBytes`) of JSON text. One bad payload refuses the
 * whole batch, its index in the message (`payloads[3].at must be …`).
 * Never throws.
 *
 * @example
 * ```ts
 * async appendMany(stream, payloads, expect) {
 *   const prepared = prepareAppendMany(stream, payloads, expect, { maxPayloadBytes: this.#maxPayloadBytes });
 *   if (!prepared.ok) return prepared;
 *   // … store prepared.json at last + 1 … last + n in one transaction
 * }
 * ```
 */
export function prepareAppendMany(
  stream: unknown,
  payloads: unknown,
  expect: unknown,
  options: PrepareAppendManyOptions = {},
): PreparedAppendMany {
  const maxBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const limits = { maxBytes, maxEvents: options.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS, maxTotal: options.maxBatchBytes ?? maxBytes };
  try {
    return prepare(stream, payloads, expect, limits);
  } catch (error) {
    // Only describing a value that is not an array can run its code (its constructor's name): still a refusal.
    return refuse(`could not be read (${error instanceof Error ? error.message : 'an unreadable error'})`);
  }
}

interface Limits {
  readonly maxBytes: number;
  readonly maxEvents: number;
  readonly maxTotal: number;
}

function prepare(stream: unknown, payloads: unknown, expect: unknown, { maxBytes, maxEvents, maxTotal }: Limits): PreparedAppendMany {
  const invalid = checkStream(stream) ?? checkExpect(expect);
  if (invalid) return { ok: false, error: invalid };
  // The array is read like a payload: no Proxy trap or getter of it runs, each element is read once.
  if (types.isProxy(payloads)) return refuse('must not be a Proxy (pass a plain array)');
  if (!Array.isArray(payloads)) return refuse(`must be an array of payloads (got ${describeValue(payloads)})`);
  const length = payloads.length;
  if (length === 0) return refuse('must hold at least one payload (got an empty array)');
  if (length > maxEvents) return refuse(`must hold at most ${maxEvents} payloads (got ${length})`);
  const texts: string[] = [];
  let total = 0;
  for (let index = 0; index < length; index++) {
    const descriptor = Object.getOwnPropertyDescriptor(payloads, index);
    if (descriptor === undefined) return refuse(`has a hole at index ${index} (got a sparse array)`);
    if (!('value' in descriptor)) return refuse('is an accessor property (copy the value into a plain array)', `[${index}]`);
    const serialized = serializeArgument(descriptor.value, maxBytes, 'payloads', [index]);
    if (!serialized.ok) return serialized;
    total += serialized.bytes;
    if (total > maxTotal) {
      return refuse(
        `must be at most ${maxTotal} bytes as JSON text in UTF-8 in total (the store's maximum batch size); they pass it at payloads[${index}]`,
      );
    }
    texts.push(serialized.json);
  }
  return { ok: true, json: texts };
}

/**
 * Checks the arguments of `appendMany` like {@link prepareAppendMany},
 * returning only the error.
 *
 * @example
 * ```ts
 * checkAppendMany('s', [], undefined); // InvalidArgumentError: payloads must hold at least one payload (got an empty array)
 * ```
 */
export function checkAppendMany(
  stream: unknown,
  payloads: unknown,
  expect: unknown,
  options?: PrepareAppendManyOptions,
): InvalidArgumentError | undefined {
  const prepared = prepareAppendMany(stream, payloads, expect, options);
  return prepared.ok ? undefined : prepared.error;
}

function refuse(reason: string, path = ''): { readonly ok: false; readonly error: InvalidArgumentError } {
  return { ok: false, error: new InvalidArgumentError('payloads', reason, path) };
}
