/** PostgreSQL truncates identifiers past this many bytes (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

// kit scope: outside the contract — which schema and table prefix names need no quoting, an API of this adapter's own
const plainIdentifier = /^[a-z_][a-z0-9_]*$/;
// kit scope: end

/**
 * Checks an identifier given as an option (a schema name, a table prefix)
 * and returns it double-quoted for SQL. Only lowercase ASCII letters,
 * digits and `_` are accepted, not starting with a digit: such a name means
 * the same quoted or not, so it is the same table in `psql` as in Hume, and
 * nothing a user types can leave the quotes.
 *
 * @example
 * ```ts
 * quoteIdentifier('schema', 'events'); // '"events"'
 * quoteIdentifier('schema', 'Robert"; DROP'); // throws RangeError
 * ```
 */
export function quoteIdentifier(option: string, name: unknown, suffixBytes = 0): string {
  // kit scope: outside the contract — the checks of PostgresOptions, an API of this adapter's own (schema, tablePrefix)
  if (typeof name !== 'string' || !plainIdentifier.test(name)) {
    throw new RangeError(
      `${option} must be lowercase ASCII letters, digits and _, not starting with a digit (got ${typeof name === 'string' ? JSON.stringify(name) : typeof name})`,
    );
  }
  if (name.length + suffixBytes > MAX_IDENTIFIER_BYTES) {
    throw new RangeError(
      `${option} must be at most ${MAX_IDENTIFIER_BYTES - suffixBytes} characters, so that PostgreSQL does not cut the names made from it (got ${name.length})`,
    );
  }
  // kit scope: end
  return `"${name}"`;
}
