/**
 * Converts a `bigint` column, which the driver hands over as text, to a
 * seq. A value past `Number.MAX_SAFE_INTEGER` is refused rather than
 * rounded: two different seqs must never read back as one.
 *
 * @example
 * ```ts
 * parseSeq('42'); // 42
 * parseSeq('9007199254740993'); // throws RangeError
 * ```
 */
export function parseSeq(text: unknown): number {
  // The column is a bigint, so the text is digits: Number() of it is exact up to 2^53 and
  // rounds beyond, which isSafeInteger catches.
  // kit scope: outside the contract — a server answer that breaks its column's type (a seq that is not a bigint's digits, or one past 2^53, which takes 2^53 appends): no kit target can make PostgreSQL return one
  const seq = typeof text === 'string' && text !== '' ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new RangeError(`seq ${String(text)} from the database is not a safe integer; Hume seqs stop at Number.MAX_SAFE_INTEGER`);
    // kit scope: end
  }
  return seq;
}
