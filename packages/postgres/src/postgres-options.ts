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
   * Bytes of stored payload (JSON text) a read or feed fetches per page,
   * about: a page of N events lets each payload have `readPageBytes / N`
   * bytes and ends before a larger one (the next page is sized to fit it),
   * and always holds at least one event (a read's first, whatever its
   * size). Default 4 MiB (4194304).
   */
  readonly readPageBytes?: number;
  /**
   * How long a call waits for a connection, opening one or waiting for a
   * pooled one, before it rejects with `BACKEND` (nothing was sent). Only for
   * the pool the store creates (`connectionTimeoutMillis`); give your own
   * pool its own. `0`: wait forever. Default 10 000.
   */
  readonly connectionTimeoutMs?: number;
  /**
   * The server cancels a statement of the store's connections that runs
   * longer (`statement_timeout`); the call rejects with `BACKEND` and
   * nothing was stored. Only for the pool the store creates. `0`: no limit.
   * Default 30 000.
   */
  readonly statementTimeoutMs?: number;
  /**
   * How long the store waits for the reply to a statement, on any pool,
   * before it drops the connection and rejects with `BACKEND` (an append
   * then has `outcomeUnknown: true`). Catches what the server cannot: a
   * network partition. `0`: wait forever. Default `statementTimeoutMs` +
   * 5 000 (so that the server's cancel, which says "not stored", comes
   * first), or 35 000.
   */
  readonly queryTimeoutMs?: number;
  /**
   * TCP keepalive of the store's connections: the idle time before the
   * first probe. Only for the pool the store creates. `0`: no keepalive.
   * Default 10 000.
   */
  readonly keepAliveDelayMs?: number;
  /**
   * The database is a Citus coordinator (distributed PostgreSQL). `migrate()`
   * then distributes the events and streams tables by `stream`, colocated,
   * and the append function by its stream argument; every append and batch
   * is one call of that function on one stream, which Citus pushes down to
   * the worker holding the stream (one hop), several streams' calls in
   * flight at once rather than one group statement across shards. Reads and
   * listings work as without it; the global feed is refused there. Needs the
   * `citus` extension in the database and its workers added. Default `false`.
   */
  readonly citus?: boolean;
}

/** Every option's name: any other key is refused. */
// kit scope: outside the contract — the names of PostgresOptions that checkOptions accepts, an API of this adapter's own
const postgresOptionNames: OptionNames<PostgresOptions> = {
  schema: true,
  tablePrefix: true,
  readPageSize: true,
  maxPayloadBytes: true,
  readPageBytes: true,
  connectionTimeoutMs: true,
  statementTimeoutMs: true,
  queryTimeoutMs: true,
  keepAliveDelayMs: true,
  citus: true,
  // kit scope: end
};

/** The SQL names and sizes a store works with, checked and quoted once. */
export interface ResolvedOptions {
  readonly schema: string;
  readonly tablePrefix: string;
  /** `"schema"."prefix_events"` and its siblings, quoted. */
  readonly events: string;
  readonly streams: string;
  /** The snapshot table (clause C14), `"schema"."prefix_snapshots"`. */
  readonly snapshots: string;
  /** The checkpoint table (clause C15), `"schema"."prefix_checkpoints"`. */
  readonly checkpoints: string;
  readonly migrations: string;
  /** The index of the feed's order, `(tx, position)`, unquoted and unqualified (CREATE INDEX takes a bare name). */
  readonly feedIndex: string;
  /** The index of the feed by stream name, `(stream COLLATE "C", tx, position)`, for a prefix (category) feed; likewise bare. */
  readonly feedStreamIndex: string;
  /** The function that appends to one stream, `"schema"."prefix_append"`. */
  readonly appendFunction: string;
  /** The function that appends to several streams in one statement (group commit), `"schema"."prefix_append_all"`. */
  readonly appendAllFunction: string;
  readonly readPageSize: number;
  readonly maxPayloadBytes: number;
  readonly readPageBytes: number;
  readonly connectionTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly queryTimeoutMs: number;
  readonly keepAliveDelayMs: number;
  /** Distribute with Citus and send one pushed-down call per stream (see {@link PostgresOptions.citus}). */
  readonly citus: boolean;
}

/** The options that configure the pool the store creates, and only that one. */
export const ownPoolOptions = ['connectionTimeoutMs', 'statementTimeoutMs', 'keepAliveDelayMs'] as const;

/** The longest delay a Node.js timer takes. */
const MAX_TIMER_MS = 2_147_483_647;
/** How much longer than the server's statement timeout the store waits for a reply, by default. */
const REPLY_GRACE_MS = 5_000;

// The longest suffix of a table, function or index name, so that no name made from the prefix is cut at 63 bytes.
// Stryker disable next-line StringLiteral: the length check of tablePrefix, an API of this adapter's own: no kit target gives a long prefix
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
  // kit scope: outside the contract — the checks and defaults of PostgresOptions, an API of this adapter's own (a default page size or byte budget changes how many round trips a read takes, never what it yields)
  checkOptions(options, postgresOptionNames);
  const {
    schema = 'public',
    tablePrefix = 'hume_',
    readPageSize = 1000,
    readPageBytes = 4 * 2 ** 20,
    maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES,
    citus = false,
  } = options;
  if (typeof citus !== 'boolean') throw new RangeError(`citus must be true or false (got ${String(citus)})`);
  // kit scope: end
  // Stryker disable StringLiteral: the option named in an error message: no kit target gives a bad option
  const connectionTimeoutMs = checkMs('connectionTimeoutMs', options.connectionTimeoutMs ?? 10_000);
  const statementTimeoutMs = checkMs('statementTimeoutMs', options.statementTimeoutMs ?? 30_000);
  const defaultQueryTimeoutMs = statementTimeoutMs === 0 ? 0 : Math.min(MAX_TIMER_MS, statementTimeoutMs + REPLY_GRACE_MS);
  const queryTimeoutMs = checkMs('queryTimeoutMs', options.queryTimeoutMs ?? defaultQueryTimeoutMs);
  const keepAliveDelayMs = checkMs('keepAliveDelayMs', options.keepAliveDelayMs ?? 10_000);
  const quotedSchema = quoteIdentifier('schema', schema);
  // Stryker restore StringLiteral
  // kit scope: outside the contract — the checks of PostgresOptions, an API of this adapter's own
  if (tablePrefix !== '') quoteIdentifier('tablePrefix', tablePrefix, longestSuffix);
  if (!Number.isSafeInteger(readPageSize) || readPageSize < 1 || readPageSize > 1_000_000) {
    throw new RangeError(`readPageSize must be an integer from 1 to 1000000 (got ${String(readPageSize)})`);
  }
  const payloadProblem = checkMaxPayloadBytes(maxPayloadBytes);
  if (payloadProblem) throw new RangeError(`maxPayloadBytes ${payloadProblem}`);
  if (!Number.isSafeInteger(readPageBytes) || readPageBytes < 1) {
    throw new RangeError(`readPageBytes must be a positive integer number of bytes (got ${String(readPageBytes)})`);
  }
  // kit scope: end
  // Stryker disable StringLiteral: the names of the store's tables, indexes and functions, and the option named in an error message: other names that collide with none work alike
  const table = (name: string): string => `${quotedSchema}.${quoteIdentifier('tablePrefix', `${tablePrefix}${name}`)}`;
  return Object.freeze({
    schema,
    tablePrefix,
    events: table('events'),
    streams: table('streams'),
    migrations: table('migrations'),
    snapshots: table('snapshots'),
    checkpoints: table('checkpoints'),
    feedIndex: quoteIdentifier('tablePrefix', `${tablePrefix}feed_order`),
    feedStreamIndex: quoteIdentifier('tablePrefix', `${tablePrefix}feed_stream`),
    appendFunction: table('append'),
    appendAllFunction: table('append_all'),
    // Stryker restore StringLiteral
    readPageSize,
    maxPayloadBytes,
    readPageBytes,
    connectionTimeoutMs,
    statementTimeoutMs,
    queryTimeoutMs,
    keepAliveDelayMs,
    citus,
  });
}

function checkMs(name: string, value: unknown): number {
  // kit scope: outside the contract — the checks of PostgresOptions, an API of this adapter's own
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_TIMER_MS) {
    throw new RangeError(`${name} must be an integer number of milliseconds from 0 to ${MAX_TIMER_MS} (got ${String(value)})`);
  }
  // kit scope: end
  return value;
}
