import { HumeError } from './hume-error.js';
import type { Seq } from './seq.js';

/**
 * An append's `expect` did not match the stream's last seq. `actual` is the
 * last seq at the time of the check: re-read from there and try again.
 *
 * @example
 * ```ts
 * if (!result.ok && result.error.code === 'UNEXPECTED_SEQ') console.log(result.error.actual);
 * ```
 */
export class UnexpectedSeqError extends HumeError {
  declare readonly code: 'UNEXPECTED_SEQ';
  readonly stream: string;
  readonly expected: Seq;
  readonly actual: Seq;

  constructor(stream: string, expected: Seq, actual: Seq) {
    super('UNEXPECTED_SEQ', `stream ${JSON.stringify(stream)} was expected at seq ${expected}, but its last seq is ${actual}`);
    this.name = 'UnexpectedSeqError';
    this.stream = stream;
    this.expected = expected;
    this.actual = actual;
  }
}
