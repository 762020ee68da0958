import type pg from 'pg';

/**
 * A whole stream read by hand with raw `pg`, keyset pages of 1,000: the
 * adapter's work by the fastest route pg offers (rows as arrays, columns as
 * the server's text, `JSON.parse` of each payload; object rows and pg's own
 * parsers measured slower). Resolves to the number of events read.
 */
export async function readRawPages(pool: pg.Pool, table: string, stream: string): Promise<number> {
  let read = 0;
  for (let after = 0; ; ) {
    const { rows } = await pool.query<[string, string]>({
      name: 'bench-raw-page',
      text: `SELECT seq, payload FROM ${table} WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT 1000`,
      values: [stream, after],
      rowMode: 'array',
      types: { getTypeParser: () => (text: string) => text },
    });
    for (const [seq, payload] of rows) {
      after = Number(seq);
      if (JSON.parse(payload) !== null) read++;
    }
    if (rows.length < 1000) return read;
  }
}
