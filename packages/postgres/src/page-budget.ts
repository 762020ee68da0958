/** The largest value of PostgreSQL's `integer`, which `octet_length` returns: no payload is larger. */
const ANY_SIZE = 2 ** 31 - 1;

/**
 * How big the next page of one read may be, so that a page stays within
 * `bytes` of payload without the server summing sizes row by row (a
 * window over the page measured at twice the cost of the scan itself).
 * A page of `rows` events lets each payload have `bytes / rows` bytes:
 * one that is larger is withheld (the server sends its size in place of
 * it, see {@link payloadColumnsWithin}) and the page ends before it. Each
 * page sizes the next by its largest payload, so a read of payloads of a
 * few KiB settles on pages that fit them rather than withholding one in
 * every page. A page of one row withholds nothing: an event larger than
 * the budget is sent on its own.
 *
 * @example
 * ```ts
 * const budget = new PageBudget(1000, 4 * 2 ** 20);
 * const rows = budget.rows(1000); // 1000 rows, each payload at most budget.rowBytes(rows) = 4194 bytes
 * budget.sized(10_000); // that page's largest payload: the next asks for 419 rows of up to 10,010 bytes
 * ```
 */
export class PageBudget {
  readonly #maxRows: number;
  readonly #bytes: number;
  #rows: number;

  constructor(maxRows: number, bytes: number) {
    this.#maxRows = maxRows;
    this.#bytes = bytes;
    this.#rows = maxRows;
  }

  /** How many rows to ask for, when the reader wants at most `limit`. */
  rows(limit: number): number {
    return Math.max(1, Math.min(limit, this.#rows));
  }

  /** The largest payload a page of `rows` rows sends. */
  rowBytes(rows: number): number {
    return rows === 1 ? ANY_SIZE : Math.floor(this.#bytes / rows);
  }

  /** The last page's largest payload, sent or withheld, had `size` bytes: the next page fits as many. */
  sized(size: number): void {
    this.#rows = Math.max(1, Math.min(this.#maxRows, Math.floor(this.#bytes / Math.max(1, size))));
  }
}

/**
 * The SQL of two columns for a byte allowance given as parameter `$n`:
 * `payload`, the payload when its stored size (`payload_bytes`, see the
 * schema) is within it, else NULL; `withheld_bytes`, NULL when it is, else
 * that size. A withheld payload is never fetched from storage. Both stay
 * as cheap as the payload alone: no cast of `payload` to text (an I/O
 * conversion, 15 % of a page measured) and, mostly, a NULL.
 *
 * @example
 * ```ts
 * `SELECT seq, ${payloadColumnsWithin(4)} FROM events WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3`;
 * ```
 */
export function payloadColumnsWithin(parameter: number): string {
  const allowance = `$${parameter}::integer`;
  return `CASE WHEN payload_bytes <= ${allowance} THEN payload END AS payload, CASE WHEN payload_bytes > ${allowance} THEN payload_bytes END AS withheld_bytes`;
}
