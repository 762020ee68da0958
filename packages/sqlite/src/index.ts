export type { SqliteDatabase, SqliteStatement } from './sqlite-database.js';
export { SqliteEventStore } from './sqlite-event-store.js';
export type { ResolvedSqliteOptions, SqliteDurability, SqliteOptions } from './sqlite-options.js';
export { SQLITE_SCHEMA_VERSION } from './sqlite-schema.js';
