import { randomUUID } from 'node:crypto';
import { type ConsumerLease, type ConsumerLock, pause } from './consumer-lock.js';
import type { SqliteLikeDatabase } from './sqlite-like.js';

/** Options of {@link sqliteLeaseLock}. */
export interface SqliteLeaseOptions {
  /** The lease table, created when missing. Default `hume_consumer_leases`. */
  readonly table?: string;
  /** How long a lease lasts unless renewed (renewed every third of it); a killed holder's name is free after it. Default 10 000 ms. */
  readonly ttlMs?: number;
  /** How often a waiting consumer tries again. Default 250 ms. */
  readonly pollMs?: number;
}

/**
 * One consumer per name across the processes sharing a SQLite file: a
 * lease row per name in a table of the file, taken when free or expired,
 * renewed while held. A process killed while holding it frees the name
 * after `ttlMs`. The write lock would do too, but it would block every
 * writer of the file while a consumer runs.
 *
 * @example
 * ```ts
 * consume(store, { name: 'balances', handler, lock: sqliteLeaseLock(new Database('app.db')) });
 * ```
 */
export function sqliteLeaseLock(db: SqliteLikeDatabase, options: SqliteLeaseOptions = {}): ConsumerLock {
  const { table = 'hume_consumer_leases', ttlMs = 10_000, pollMs = 250 } = options;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table))
    throw new RangeError(`options.table must be a plain identifier (got ${JSON.stringify(table)})`);
  db.exec(
    `CREATE TABLE IF NOT EXISTS "${table}" (name TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID`,
  );
  const take = db.prepare(
    `INSERT INTO "${table}" (name, owner, expires_at) VALUES (@name, @owner, @expires)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
     WHERE "${table}".expires_at < @now OR "${table}".owner = excluded.owner`,
  );
  const renew = db.prepare(`UPDATE "${table}" SET expires_at = ? WHERE name = ? AND owner = ?`);
  const drop = db.prepare(`DELETE FROM "${table}" WHERE name = ? AND owner = ?`);
  return {
    async acquire(name: string, signal: AbortSignal): Promise<ConsumerLease | undefined> {
      const owner = randomUUID();
      for (;;) {
        const now = Date.now();
        if (take.run({ name, owner, expires: now + ttlMs, now }).changes === 1) break;
        if (!(await pause(pollMs, signal))) return undefined;
      }
      const lost = new AbortController();
      let expiresAt = Date.now() + ttlMs;
      const timer = setInterval(() => {
        try {
          const next = Date.now() + ttlMs;
          if (renew.run(next, name, owner).changes === 1) expiresAt = next;
          else lost.abort();
        } catch {
          // A busy file: try again next time, unless the lease has run out meanwhile.
          if (Date.now() >= expiresAt) lost.abort();
        }
      }, ttlMs / 3);
      return {
        lost: lost.signal,
        async release() {
          clearInterval(timer);
          drop.run(name, owner);
        },
      };
    },
  };
}
