/** A page of one row sends its payload whatever its size (2^31 - 1: SQL's `integer`, which a size fits in). */
const ANY_SIZE = 2 ** 31 - 1;

/** How much larger than the last page's largest payload the next page's allowance is. */
const HEADROOM = 1.25;

/**
 * How big the next page of one read may be, so that a page stays within
 * `bytes` of payload without the backend summing sizes row by row (on
 * PostgreSQL a window over the page cost as much as the scan itself), for
 * adapters whose page query can withhold a payload. A page of `rows`
 * events lets each payload have `bytes / rows` bytes: the query sends the
 * size of a larger one in its place (`CASE WHEN size <= allowance THEN
 * payload END`), and the page ends before it. Each
 * page sizes the next by its largest payload (with a quarter more room),
 * so a read of payloads of a few KiB settles on pages that fit them rather
 * than withholding one in every page. A page of one row withholds nothing: an event larger than
 * the budget is sent on its own.
 *
 * @example
 * ```ts
 * const budget = new PageBudget(1000, 4 * 2 ** 20);
 * const rows = budget.rows(1000); // 1000 rows, each payload at most budget.rowBytes(rows) = 4194 bytes
 * for (const text of sentTexts) budget.sent(text);
 * budget.ended(10_000); // a payload of 10,000 bytes was withheld: the next page asks for 335 rows of up to 12,520 bytes
 * ```
 */
export class PageBudget {
  readonly #maxRows: number;
  readonly #bytes: number;
  #rows: number;
  /** The longest payload text of the page being taken. */
  #longest = '';

  constructor(maxRows: number, bytes: number) {
    this.#maxRows = maxRows;
    this.#bytes = bytes;
    this.#rows = maxRows;
  }

  /** How many rows to ask for, when the reader wants at most `limit`. */
  rows(limit: number): number {
    return Math.max(1, Math.min(limit, this.#rows));
  }

  /** The largest payload a page of `rows` rows sends (never more than SQL's `integer` holds). */
  rowBytes(rows: number): number {
    return rows === 1 ? ANY_SIZE : Math.min(ANY_SIZE, Math.floor(this.#bytes / rows));
  }

  /**
   * The last page's largest payload, sent or withheld, had `size` bytes:
   * the next page fits payloads a quarter larger, so that a stream whose
   * payloads grow does not end nearly every page at a withheld one.
   */
  sized(size: number): void {
    const rows = Math.floor(this.#bytes / (Math.max(1, size) * HEADROOM));
    this.#rows = Math.max(1, Math.min(this.#maxRows, rows));
  }

  /** A payload of the page was sent as `text`. */
  sent(text: string): void {
    if (text.length > this.#longest.length) this.#longest = text;
  }

  /**
   * The page ended, at a payload of `withheldBytes` that was withheld or at
   * its last row: sizes the next by the larger of that and its longest
   * text sent (UTF-8 bytes per character vary, but this only sizes the
   * next page, never bounds this one).
   */
  ended(withheldBytes = 0): void {
    this.sized(Math.max(withheldBytes, Buffer.byteLength(this.#longest)));
    this.#longest = '';
  }
}
