import { describeValue } from './describe-value.js';
import { InvalidArgumentError } from './invalid-argument-error.js';

/** The largest stream name, in UTF-8 bytes. */
export const MAX_STREAM_BYTES = 1024;

/**
 * Checks a stream name against clause C7.1: a non-empty, well-formed string
 * of at most 1024 UTF-8 bytes without U+0000. Returns the error, or
 * `undefined` when the name is fine.
 *
 * @example
 * ```ts
 * checkStream(''); // InvalidArgumentError: stream must be a non-empty string (got "")
 * ```
 */
export function checkStream(stream: unknown): InvalidArgumentError | undefined {
  if (typeof stream !== 'string' || stream.length === 0) {
    return new InvalidArgumentError('stream', `must be a non-empty string (got ${describeValue(stream)})`);
  }
  if (!stream.isWellFormed()) {
    return new InvalidArgumentError('stream', `must be well-formed Unicode (got ${describeValue(stream)}, which has a lone surrogate)`);
  }
  if (stream.includes('\0')) {
    return new InvalidArgumentError('stream', `must not contain U+0000 (got ${describeValue(stream)})`);
  }
  // Every UTF-16 code unit takes at most 3 UTF-8 bytes, so short names skip the count.
  if (stream.length * 3 > MAX_STREAM_BYTES) {
    const bytes = utf8Length(stream);
    if (bytes > MAX_STREAM_BYTES) {
      return new InvalidArgumentError('stream', `must be at most ${MAX_STREAM_BYTES} UTF-8 bytes (got ${bytes} bytes)`);
    }
  }
  return undefined;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4; // a surrogate pair: the string is well-formed, so the low half follows
      i++;
    } else bytes += 3;
  }
  return bytes;
}
