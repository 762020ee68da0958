import type { ResolvedOptions } from './postgres-options.js';

/**
 * Schema version 3: the tables of the optional snapshots and checkpoints
 * (clauses C14, C15). Keys are `text COLLATE "C"`: byte equality, so two
 * names are one key exactly when they are equal code unit for code unit
 * (C1.6), whatever the database's default collation. `state` is `json`
 * like the payloads, so a `\u0000` in a string is kept. Neither table
 * leads with the events' distribution column, so on Citus they stay local
 * tables of the coordinator.
 *
 * @example
 * ```ts
 * capabilityTablesStatements(resolveOptions()); // [CREATE TABLE … hume_snapshots …, CREATE TABLE … hume_checkpoints …]
 * ```
 */
// Stryker disable next-line BlockStatement: migration-time SQL, run in the suite's beforeAll before Stryker activates any mutant, so no case can see it mutated; without these tables every C14 and C15 case fails
export function capabilityTablesStatements({ snapshots, checkpoints }: ResolvedOptions): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${snapshots} (
      stream text COLLATE "C" NOT NULL,
      name text COLLATE "C" NOT NULL,
      version bigint NOT NULL,
      seq bigint NOT NULL,
      state json NOT NULL,
      PRIMARY KEY (stream, name)
    )`,
    `CREATE TABLE IF NOT EXISTS ${checkpoints} (
      name text COLLATE "C" NOT NULL PRIMARY KEY,
      position text NOT NULL
    )`,
  ];
}
