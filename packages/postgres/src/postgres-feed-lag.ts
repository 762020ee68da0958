/**
 * How far PostgreSQL's visibility horizon holds the feed back, from
 * {@link PostgresEventStore.feedLag}. The feed yields only events written by
 * transactions older than the oldest one still running (anywhere on the
 * server); committed events behind that horizon wait for it.
 *
 * @example
 * ```ts
 * const lag = await store.feedLag();
 * if (lag.oldestTransactionMs > 60_000) console.warn(`feed held by pid ${lag.oldestTransactionPid}`, lag);
 * ```
 */
export interface FeedLag {
  /** Committed events that no feed yields yet, because an older transaction is still running. */
  readonly heldEvents: number;
  /** How long the oldest running transaction that holds an xid has been open, in ms; 0 when there is none. */
  readonly oldestTransactionMs: number;
  /** Its backend's pid (for `pg_stat_activity`, `pg_terminate_backend`), or `null`. */
  readonly oldestTransactionPid: number | null;
}
