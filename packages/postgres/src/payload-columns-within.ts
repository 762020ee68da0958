/**
 * The SQL of two columns for a byte allowance given as parameter `$n`:
 * `payload`, the payload when its stored size (`payload_bytes`, see the
 * schema) is within it or the row is `sentWhatever` (a condition, such as
 * the page's first row), else NULL; `withheld_bytes`, NULL when it is sent,
 * else that size. A withheld payload is never fetched from storage. Both
 * stay as cheap as the payload alone: no cast of `payload` to text (an I/O
 * conversion, 15 % of a page measured) and, mostly, a NULL.
 *
 * @example
 * ```ts
 * `SELECT seq, ${payloadColumnsWithin(4, 'seq = $2::bigint + 1')} FROM events WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3`;
 * ```
 */
export function payloadColumnsWithin(parameter: number, sentWhatever = 'false'): string {
  const sent = `(payload_bytes <= $${parameter}::integer OR ${sentWhatever})`;
  return `CASE WHEN ${sent} THEN payload END AS payload, CASE WHEN NOT ${sent} THEN payload_bytes END AS withheld_bytes`;
}
