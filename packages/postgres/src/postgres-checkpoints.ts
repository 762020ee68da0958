import { checkCheckpoint } from '@hume/core';
import { type CapabilityQuery, capabilityStatement } from './postgres-capability-query.js';
import type { ResolvedOptions } from './postgres-options.js';
import type { Statement } from './postgres-statements.js';

/**
 * The checkpoint table of clause C15 (schema version 3): one row per
 * consumer name. A consumer that wants its read model and its checkpoint
 * in one transaction writes the row itself on its own connection
 * (`@hume/projections`' PostgreSQL consumer does).
 *
 * @example
 * ```ts
 * const checkpoints = new PostgresCheckpoints(resolveOptions(), query);
 * await checkpoints.save('balances', '0000000000000012');
 * ```
 */
export class PostgresCheckpoints {
  readonly #query: CapabilityQuery;
  readonly #save: Statement;
  readonly #load: Statement;

  constructor(options: ResolvedOptions, query: CapabilityQuery) {
    this.#query = query;
    this.#save = capabilityStatement(
      `INSERT INTO ${options.checkpoints} (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.#load = capabilityStatement(`SELECT position FROM ${options.checkpoints} WHERE name = $1`);
  }

  async save(name: string, position: string): Promise<void> {
    const invalid = checkCheckpoint(name, position);
    if (invalid) throw invalid;
    // Stryker disable next-line StringLiteral,BooleanLiteral: equivalent for the contract: the operation named in an error message, and whether a lost connection is retried (a save is an upsert, idempotent; C15.4 allows either outcome)
    await this.#query(`saving the checkpoint ${JSON.stringify(name)}`, this.#save, [name, position], false);
  }

  async load(name: string): Promise<string | undefined> {
    const invalid = checkCheckpoint(name);
    if (invalid) throw invalid;
    // Stryker disable next-line StringLiteral,BooleanLiteral: equivalent for the contract: the operation named in an error message, and whether a read is retried once after a lost connection (C15.4 allows a BACKEND rejection)
    const { rows } = await this.#query(`loading the checkpoint ${JSON.stringify(name)}`, this.#load, [name], true);
    return rows[0]?.[0] ?? undefined;
  }
}
