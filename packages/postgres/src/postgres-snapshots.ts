import { BackendError, checkSnapshotKey, type Json, prepareSnapshot, type Snapshot } from '@hume/core';
import { parseSeq } from './parse-seq.js';
import { type CapabilityQuery, capabilityStatement } from './postgres-capability-query.js';
import type { ResolvedOptions } from './postgres-options.js';
import type { Statement } from './postgres-statements.js';

/**
 * The snapshot table of clause C14 (schema version 3): one row per
 * (stream, name), saved with one upsert, loaded with one primary-key
 * lookup.
 *
 * @example
 * ```ts
 * const snapshots = new PostgresSnapshots(resolveOptions(), query);
 * await snapshots.save('account-1', 'balance', { version: 1, seq: 3, state: { balance: 5 } });
 * ```
 */
export class PostgresSnapshots {
  readonly #query: CapabilityQuery;
  readonly #maxPayloadBytes: number;
  readonly #save: Statement;
  readonly #load: Statement;

  constructor(options: ResolvedOptions, query: CapabilityQuery) {
    this.#query = query;
    this.#maxPayloadBytes = options.maxPayloadBytes;
    this.#save = capabilityStatement(
      `INSERT INTO ${options.snapshots} (stream, name, version, seq, state) VALUES ($1, $2, $3, $4, $5::json)
       ON CONFLICT (stream, name) DO UPDATE SET version = excluded.version, seq = excluded.seq, state = excluded.state`,
    );
    this.#load = capabilityStatement(`SELECT version, seq, state FROM ${options.snapshots} WHERE stream = $1 AND name = $2`);
  }

  async save(stream: string, name: string, snapshot: Snapshot): Promise<void> {
    const prepared = prepareSnapshot(stream, name, snapshot, { maxPayloadBytes: this.#maxPayloadBytes });
    if (!prepared.ok) throw prepared.error;
    // Stryker disable next-line StringLiteral: the operation named in an error message (the kit requires the code, never the words)
    const operation = `saving the snapshot ${JSON.stringify(name)} of stream ${JSON.stringify(stream)}`;
    // Stryker disable next-line BooleanLiteral: equivalent for the contract: whether a lost connection is retried (a save is an upsert, idempotent; C14.5 allows either outcome)
    await this.#query(operation, this.#save, [stream, name, prepared.version, prepared.seq, prepared.stateJson], false);
  }

  async load(stream: string, name: string): Promise<Snapshot | undefined> {
    const invalid = checkSnapshotKey(stream, name);
    if (invalid) throw invalid;
    // Stryker disable next-line StringLiteral: the operation named in an error message (the kit requires the code, never the words)
    const operation = `loading the snapshot ${JSON.stringify(name)} of stream ${JSON.stringify(stream)}`;
    // Stryker disable next-line BooleanLiteral: equivalent for the contract: whether a read is retried once after a lost connection (C14.5 allows a BACKEND rejection)
    const { rows } = await this.#query(operation, this.#load, [stream, name], true);
    const row = rows[0];
    if (row === undefined) return undefined;
    try {
      return { version: parseSeq(row[0]), seq: parseSeq(row[1]), state: JSON.parse(row[2] ?? '') as Json };
      // kit scope: outside the contract — a server answer that breaks its column's type (a state that is not JSON in a json column, or a version that is not a bigint): no kit target can make PostgreSQL return one
    } catch (error) {
      throw new BackendError(`${operation} failed: ${error instanceof Error ? error.message : String(error)}`, error);
      // kit scope: end
    }
  }
}
