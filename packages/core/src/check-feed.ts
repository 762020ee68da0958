import { describeValue } from './describe-value.js';
import { InvalidArgumentError } from './invalid-argument-error.js';

/** The keys a {@link FeedOptions} object may have. */
const OPTION_KEYS = new Set(['prefix', 'live', 'signal', 'onCaughtUp']);

/** The longest prefix, in UTF-8 bytes: a stream name's limit (C7.1). */
const MAX_PREFIX_BYTES = 1024;

/**
 * Checks the arguments of `feed` (clause C13.10): `after` is `undefined` or a
 * position this store gives (`isPosition` tells, from its encoding), and
 * `options` is `undefined` or a plain object of known fields of the right
 * types. Returns the first problem, or `undefined`. Adapters reject the
 * feed's first `next()` with it, as `events` does (C7.5).
 *
 * @example
 * ```ts
 * checkFeed('12', {}, (p) => /^\d{16}$/.test(p)); // InvalidArgumentError: after must be a position this store gave …
 * checkFeed(undefined, { live: 'yes' }, isMine);  // InvalidArgumentError: options.live must be a boolean …
 * ```
 */
export function checkFeed(after: unknown, options: unknown, isPosition: (position: string) => boolean): InvalidArgumentError | undefined {
  if (after !== undefined && (typeof after !== 'string' || !isPosition(after))) {
    return new InvalidArgumentError(
      'after',
      `must be undefined or a position this store gave, as it gave it (got ${describeValue(after)})`,
    );
  }
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return new InvalidArgumentError('options', `must be undefined or an object (got ${describeValue(options)})`);
  }
  const unknown = Object.keys(options).find((key) => !OPTION_KEYS.has(key));
  if (unknown !== undefined) {
    return new InvalidArgumentError('options', `has no field ${JSON.stringify(unknown)} (known: prefix, live, signal, onCaughtUp)`);
  }
  const { prefix, live, signal, onCaughtUp } = options as Record<string, unknown>;
  if (prefix !== undefined) {
    if (typeof prefix !== 'string')
      return new InvalidArgumentError('options', `must be a string (got ${describeValue(prefix)})`, '.prefix');
    if (!prefix.isWellFormed() || prefix.includes('\0') || Buffer.byteLength(prefix) > MAX_PREFIX_BYTES) {
      return new InvalidArgumentError(
        'options',
        `must be well-formed, without U+0000 and at most ${MAX_PREFIX_BYTES} UTF-8 bytes, like a stream name (got ${describeValue(prefix)})`,
        '.prefix',
      );
    }
  }
  if (live !== undefined && typeof live !== 'boolean') {
    return new InvalidArgumentError('options', `must be a boolean (got ${describeValue(live)})`, '.live');
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    return new InvalidArgumentError('options', `must be an AbortSignal (got ${describeValue(signal)})`, '.signal');
  }
  if (onCaughtUp !== undefined && typeof onCaughtUp !== 'function') {
    return new InvalidArgumentError('options', `must be a function (got ${describeValue(onCaughtUp)})`, '.onCaughtUp');
  }
  return undefined;
}

/** Duck-typed, so that a signal from another realm or polyfill works. */
function isAbortSignal(value: unknown): value is AbortSignal {
  const candidate = value as Partial<AbortSignal> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function' &&
    typeof candidate.removeEventListener === 'function'
  );
}
