/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * PostgreSQL: run the idempotent `migrate()` before the store is handed
   * out, so a fresh database is ready. `false` for apps that migrate in a
   * deploy step, or a role that may not create tables. Default `true`.
   */
  readonly migrate?: boolean;
  /**
   * Options for the adapter's constructor (`SqliteOptions`,
   * `PostgresOptions`, `MemoryOptions`, a registered adapter's own), over
   * those the URL's query gives.
   */
  readonly adapter?: Readonly<Record<string, unknown>>;
}
