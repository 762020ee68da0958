/** What `migrate()` did. */
export interface MigrateResult {
  /** The schema version found before, 0 for a database without Hume tables. */
  readonly from: number;
  /** The schema version now recorded. */
  readonly to: number;
}
