import { checkMaxPayloadBytes, checkOptions, DEFAULT_MAX_PAYLOAD_BYTES, type OptionNames } from '@hume/core';
import { quoteIdentifier } from './postgres-identifier.js';

/** Options of {@link PostgresEventStore}. */
export interface PostgresOptions {
  /** The schema that holds the tables; `migrate()` creates it when missing. Default `'public'`. */
  readonly schema?: string;
  /**
   * Put before each table name: `hume_events`, `hume_streams`,
   * `hume_migrations`. Lowercase letters, digits and `_`. Default `'hume_'`.
   */
  readonly tablePrefix?: string;
  /** Events fetched per query by a read; a read holds one page in memory. Default 1000. */
  readonly readPageSize?: number;
  /**
   * The largest payload accepted, in UTF-8 bytes of its JSON text (clause
   * C5.4); a larger one is refused with `INVALID_ARGUMENT` naming the limit.
   * An integer from 2 MiB to 536870888. Default 16 MiB
   * (`DEFAULT_MAX_PAYLOAD_BYTES` of `@hume/core`).
   */
  readonly maxPayloadBytes?: number;
  /**
   * Bytes of stored payload (JSON text) a read fetches per page at most: a
   * page ends after `readPageSize` events or `readPageBytes` bytes,
   * whichever comes first, and always holds at least one event. Default
   * 4 MiB (4194304).
   */
  readonly readPageBytes?: number;
}

/** Every option's name: any other key is refused. */
const postgresOptionNames: OptionNames<PostgresOptions> = {
  schema: true,
  tablePrefix: true,
  readPageSize: true,
  maxPayloadBytes: true,
  readPageBytes: true,
};

/** The SQL names and sizes a store works with, checked and quoted once. */
export interface ResolvedOptions {
  readonly schema: string;
  readonly tablePrefix: string;
  /** `"schema"."prefix_events"` and its siblings, quoted. */
  readonly events: string;
  readonly streams: string;
  readonly migrations: string;
  /** The index of the feed's order, `(tx, position)`, unquoted and unqualified (CREATE INDEX takes a bare name). */
  readonly feedIndex: string;
  /** The function that appends to one stream, `"schema"."prefix_append"`. */
  readonly appendFunction: string;
  /** The function that appends to several streams in one statement (group commit), `"schema"."prefix_append_all"`. */
  readonly appendAllFunction: string;
  readonly readPageSize: number;
  readonly maxPayloadBytes: number;
  readonly readPageBytes: number;
}

// The longest suffix of a table, function or index name, so that no name made from the prefix is cut at 63 bytes.
const longestSuffix = 'migrations'.length;

/**
 * Checks options and quotes the table names. Throws a `RangeError` naming
 * the option when one is refused, a `TypeError` for a key that is no option.
 *
 * @example
 * ```ts
 * resolveOptions({ schema: 'billing' }).events; // '"billing"."hume_events"'
 * ```
 */
export function resolveOptions(options: PostgresOptions = {}): ResolvedOptions {
  checkOptions(options, postgresOptionNames);
  const {
    schema = 'public',
    tablePrefix = 'hume_',
    readPageSize = 1000,
    readPageBytes = 4 * 2 ** 20,
    maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES,
  } = options;
  const quotedSchema = quoteIdentifier('schema', schema);
  if (tablePrefix !== '') quoteIdentifier('tablePrefix', tablePrefix, longestSuffix);
  if (!Number.isSafeInteger(readPageSize) || readPageSize < 1 || readPageSize > 1_000_000) {
    throw new RangeError(`readPageSize must be an integer from 1 to 1000000 (got ${String(readPageSize)})`);
  }
  const payloadProblem = checkMaxPayloadBytes(maxPayloadBytes);
  if (payloadProblem) throw new RangeError(`maxPayloadBytes ${payloadProblem}`);
  if (!Number.isSafeInteger(readPageBytes) || readPageBytes < 1) {
    throw new RangeError(`readPageBytes must be a positive integer number of bytes (got ${String(readPageBytes)})`);
  }
  const table = (name: string): string => `${quotedSchema}.${quoteIdentifier('tablePrefix', `${tablePrefix}${name}`)}`;
  return Object.freeze({
    schema,
    tablePrefix,
    events: table('events'),
    streams: table('streams'),
    migrations: table('migrations'),
    feedIndex: quoteIdentifier('tablePrefix', `${tablePrefix}feed_order`),
    appendFunction: table('append'),
    appendAllFunction: table('append_all'),
    readPageSize,
    maxPayloadBytes,
    readPageBytes,
  });
}
