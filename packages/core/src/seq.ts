/**
 * A position in a stream: a non-negative safe integer. The first event of a
 * stream has seq 1; seq 0 means "before the first event", and it is the last
 * seq of an empty or unknown stream.
 *
 * @example
 * ```ts
 * const start: Seq = 0;
 * ```
 */
export type Seq = number;
