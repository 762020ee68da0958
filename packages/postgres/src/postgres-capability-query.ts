import { createHash } from 'node:crypto';
import type { Statement } from './postgres-statements.js';

/**
 * How the snapshot and checkpoint tables reach the database: the store's own
 * statement runner, which wraps failures as `BACKEND` and retries what is
 * safe to retry. Rows come back as arrays of text.
 */
export type CapabilityQuery = (
  operation: string,
  statement: Statement,
  values: unknown[],
  readOnly: boolean,
) => Promise<{ readonly rows: readonly (string | null)[][] }>;

/** A statement named after its text, as the store's others are (names are per connection, shared with the application's). */
export function capabilityStatement(text: string): Statement {
  // Stryker disable next-line StringLiteral,MethodExpression: equivalent: any name unique to the statement's text prepares the same statement
  return { name: `hume_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
}
