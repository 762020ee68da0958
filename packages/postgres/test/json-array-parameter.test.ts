import { describe, expect, it } from 'vitest';
import { jsonArrayParameter } from '../src/json-array-parameter.js';
import { newPool } from './database.js';

describe('jsonArrayParameter', () => {
  it('reaches the server as the json[] of exactly these texts, quotes, backslashes and characters past U+FFFF included', async () => {
    const texts = ['{"a":"say \\"hi\\"","b":"back\\\\slash"}', '[1,2.5,null,true]', '"\u00e9\u4e2d\u{1F600}"', '"\\u0000"', '{}'];
    const pool = newPool({ max: 1 });
    try {
      const { rows } = await pool.query<{ n: number; text: string; bytes: number }>({
        text: 'SELECT p.n::int AS n, p.value::text AS text, octet_length(p.value::text) AS bytes FROM unnest($1::json[]) WITH ORDINALITY AS p(value, n) ORDER BY p.n',
        values: [jsonArrayParameter(texts)],
      });
      expect(rows.map((row) => row.text)).toEqual(texts);
      expect(rows.map((row) => row.bytes)).toEqual(texts.map((text) => Buffer.byteLength(text)));
    } finally {
      await pool.end();
    }
  });

  it('is refused by the server when an element is not JSON, as the text form is', async () => {
    const pool = newPool({ max: 1 });
    try {
      await expect(
        pool.query({ text: 'SELECT cardinality($1::json[])', values: [jsonArrayParameter(['{}', '{"a":'])] }),
      ).rejects.toMatchObject({
        code: '22P02',
      });
    } finally {
      await pool.end();
    }
  });
});
