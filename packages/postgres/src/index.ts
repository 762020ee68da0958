export type { MigrateResult } from './migrate-result.js';
export { MAX_APPEND_MANY_EVENTS } from './postgres-append-many.js';
export { PostgresEventStore } from './postgres-event-store.js';
export type { FeedLag } from './postgres-feed-lag.js';
export type { PostgresOptions } from './postgres-options.js';
export { SCHEMA_VERSION } from './postgres-schema.js';
