// kit scope: outside the contract — a database not encoded in UTF8, which no kit target can give (every server the tests start is UTF8)
/** Asks for the database's encoding and name: `[encoding, database]`. */
export const encodingQuery = "SELECT current_setting('server_encoding'), current_database()";

/**
 * Says what is wrong with a database whose encoding is not UTF8, or returns
 * `undefined` for UTF8. Hume stores JSON text: under SQL_ASCII the server
 * checks nothing and other clients read bytes, not characters; under LATIN1
 * and the like most characters cannot be stored at all.
 *
 * @example
 * ```ts
 * encodingProblem('SQL_ASCII', 'shop'); // 'the database "shop" is encoded SQL_ASCII, … ENCODING …'
 * ```
 */
export function encodingProblem(encoding: string | null | undefined, database: string | null | undefined): string | undefined {
  if (encoding?.toUpperCase() === 'UTF8') return undefined;
  const name = database ?? '';
  const quoted = `"${name.replaceAll('"', '""')}"`;
  return (
    `the database ${quoted} is encoded ${encoding ?? 'in an unknown encoding'}, but Hume stores JSON text and needs UTF8: ` +
    `create a database with CREATE DATABASE <name> ENCODING 'UTF8' TEMPLATE template0 (a database's encoding cannot be changed) and use that one`
  );
}
