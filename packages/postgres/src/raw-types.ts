import type { CustomTypesConfig } from 'pg';

const asText = (value: string): string => value;

/**
 * Type parsers for one query that leave every column as the text the
 * server sent. Hume converts `seq` and `payload` itself, so the results do
 * not depend on `pg.types.setTypeParser` calls made by the application,
 * which are global to the process.
 *
 * @example
 * ```ts
 * await pool.query({ text: 'SELECT seq FROM t', types: rawTypes, rowMode: 'array' });
 * ```
 */
export const rawTypes: CustomTypesConfig = {
  getTypeParser: (() => asText) as unknown as CustomTypesConfig['getTypeParser'],
};
