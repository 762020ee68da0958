import { checkMaxPayloadBytes, checkOptions, DEFAULT_MAX_PAYLOAD_BYTES, type OptionNames } from '@hume/core';
import { describeArgument } from './describe-argument.js';

/**
 * When an acknowledged append is safe:
 * - `'full'` (`synchronous=FULL`): on disk before `append` resolves; survives
 *   a crash of the process and of the machine (power loss).
 * - `'normal'` (`synchronous=NORMAL`): survives a crash of the process; a
 *   power loss may drop the last appends acknowledged before it, never leave
 *   a partial one. Several times faster per append.
 */
export type SqliteDurability = 'full' | 'normal';

/** Options of {@link SqliteEventStore}. */
export interface SqliteOptions {
  /**
   * Prefix of the store's tables (`<prefix>events`, `<prefix>schema`), so
   * several stores, or other tables of yours, can share one file. Letters,
   * digits and `_`, starting with a letter or `_`. Default `'hume_'`.
   */
  readonly tablePrefix?: string;
  /** See {@link SqliteDurability}. Default `'full'`. */
  readonly durability?: SqliteDurability;
  /** How many events a read fetches per page at most. Default 512. */
  readonly pageSize?: number;
  /**
   * How many bytes of stored payload (JSON, UTF-8) a read fetches per page
   * at most: a page ends after `pageSize` events or `pageBytes` bytes,
   * whichever comes first, and always holds at least one event. Default
   * 4 MiB (4194304).
   */
  readonly pageBytes?: number;
  /**
   * How long, in milliseconds, a call waits for another connection's write
   * lock before it rejects with code `BACKEND`. Default 5 000.
   */
  readonly busyTimeout?: number;
  /**
   * The largest payload accepted, in UTF-8 bytes of its JSON text (clause
   * C5.4); a larger one is refused with `INVALID_ARGUMENT` naming the limit.
   * An integer from 2 MiB to 536870888. Default 16 MiB
   * (`DEFAULT_MAX_PAYLOAD_BYTES` of `@hume/core`).
   */
  readonly maxPayloadBytes?: number;
}

// kit scope: outside the contract — the option names and the table prefix's pattern of SqliteOptions, an API of this adapter's own
/** Every option's name: any other key is refused. */
const sqliteOptionNames: OptionNames<SqliteOptions> = {
  tablePrefix: true,
  durability: true,
  pageSize: true,
  pageBytes: true,
  busyTimeout: true,
  maxPayloadBytes: true,
};
// kit scope: end

/** The options with their defaults filled in and checked. */
export interface ResolvedSqliteOptions {
  readonly tablePrefix: string;
  readonly durability: SqliteDurability;
  readonly pageSize: number;
  readonly pageBytes: number;
  readonly busyTimeout: number;
  readonly maxPayloadBytes: number;
}

// kit scope: outside the contract — the table prefix's pattern, an option of this adapter's own
const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
// kit scope: end

/**
 * Fills in the defaults and checks every option, naming the option and the
 * reason: a prefix is spliced into SQL, so it must be a plain identifier.
 *
 * @example
 * ```ts
 * resolveSqliteOptions({ tablePrefix: 'a b' }); // TypeError: options.tablePrefix must be …
 * ```
 */
export function resolveSqliteOptions(options: SqliteOptions = {}): ResolvedSqliteOptions {
  checkOptions(options, sqliteOptionNames);
  const {
    tablePrefix = 'hume_',
    durability = 'full',
    pageSize = 512,
    pageBytes = 4 * 2 ** 20,
    busyTimeout = 5_000,
    maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES,
  } = options;
  // kit scope: outside the contract — the checks of SqliteOptions, an API of this adapter's own
  if (typeof tablePrefix !== 'string' || !identifier.test(tablePrefix)) {
    throw new TypeError(
      `options.tablePrefix must be 1 to 63 letters, digits or underscores, not starting with a digit (got ${describeArgument(tablePrefix)})`,
    );
  }
  if (tablePrefix.toLowerCase().startsWith('sqlite_')) {
    throw new TypeError(`options.tablePrefix must not start with "sqlite_", which SQLite reserves (got ${describeArgument(tablePrefix)})`);
  }
  if (durability !== 'full' && durability !== 'normal') {
    throw new TypeError(`options.durability must be 'full' or 'normal' (got ${describeArgument(durability)})`);
  }
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`options.pageSize must be a positive integer (got ${describeArgument(pageSize)})`);
  }
  if (!Number.isSafeInteger(pageBytes) || pageBytes < 1) {
    throw new RangeError(`options.pageBytes must be a positive integer number of bytes (got ${describeArgument(pageBytes)})`);
  }
  if (!Number.isSafeInteger(busyTimeout) || busyTimeout < 0 || busyTimeout > 2 ** 31 - 1) {
    throw new RangeError(
      `options.busyTimeout must be an integer number of milliseconds from 0 to 2147483647 (got ${describeArgument(busyTimeout)})`,
    );
  }
  const payloadProblem = checkMaxPayloadBytes(maxPayloadBytes);
  if (payloadProblem) throw new RangeError(`options.maxPayloadBytes ${payloadProblem}`);
  // kit scope: end
  return Object.freeze({ tablePrefix, durability, pageSize, pageBytes, busyTimeout, maxPayloadBytes });
}
