import { type ConsumerLease, type ConsumerLock, pause } from './consumer-lock.js';

/** The part of a pg `PoolClient` this package uses. */
export interface PostgresLikeClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  release(error?: Error | boolean): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): unknown;
  off(event: 'error' | 'end', listener: (error?: Error) => void): unknown;
}

/** The part of a pg `Pool` this package uses. */
export interface PostgresLikePool {
  connect(): Promise<PostgresLikeClient>;
}

/**
 * One consumer per name across processes on one PostgreSQL database: a
 * session advisory lock (`pg_try_advisory_lock`) held on a connection of
 * its own for as long as the consumer runs. A process that dies, or whose
 * connection drops, frees the name at once (the lock ends with the
 * session), and the consumer that lost its connection stops. Names are
 * hashed to 32 bits (`hashtext`), so two names may share a lock: they then
 * take turns.
 *
 * @example
 * ```ts
 * consume(store, { name: 'balances', handler, lock: postgresAdvisoryLock(pool) });
 * ```
 */
export function postgresAdvisoryLock(pool: PostgresLikePool, options: { readonly pollMs?: number } = {}): ConsumerLock {
  const { pollMs = 250 } = options;
  const keys = "hashtext('hume-consumer'), hashtext($1)";
  return {
    async acquire(name: string, signal: AbortSignal): Promise<ConsumerLease | undefined> {
      const client = await pool.connect();
      const lost = new AbortController();
      // A session that ends (killed, dropped) takes its advisory lock with it: the name is lost.
      const onEnd = (): void => lost.abort();
      client.on('error', onEnd);
      client.on('end', onEnd);
      const detach = (): void => {
        client.off('error', onEnd);
        client.off('end', onEnd);
      };
      try {
        for (;;) {
          const { rows } = await client.query(`SELECT pg_try_advisory_lock(${keys}) AS locked`, [name]);
          if (rows[0]?.locked === true) break;
          if (!(await pause(pollMs, signal))) {
            detach();
            client.release();
            return undefined;
          }
        }
      } catch (error) {
        detach();
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      return {
        lost: lost.signal,
        async release() {
          detach();
          if (lost.signal.aborted) {
            client.release(true);
            return;
          }
          try {
            await client.query(`SELECT pg_advisory_unlock(${keys})`, [name]);
            client.release();
          } catch (error) {
            // A connection that cannot unlock is dropped: the lock ends with its session.
            client.release(error instanceof Error ? error : true);
          }
        },
      };
    },
  };
}
