export { type Aggregate, type AggregateOptions, type AggregateResult, aggregate } from './aggregate.js';
export { type CheckpointSink, storeCheckpoints } from './checkpoint-sink.js';
export { type Consumer, consume } from './consume.js';
export { ConsumerError, type FailedEvent } from './consumer-error.js';
export type { ConsumerLease, ConsumerLock } from './consumer-lock.js';
export type { BatchContext, ConsumerOptions, ConsumerStatus, ConsumerStop, RetryPolicy } from './consumer-options.js';
export { type DecideContext, type HandleOptions, handle } from './handle.js';
export type { HandleResult } from './handle-result.js';
export { type PostgresLikeClient, type PostgresLikePool, postgresAdvisoryLock } from './postgres-advisory-lock.js';
export { type PostgresTablesOptions, postgresTransactions } from './postgres-transactions.js';
export { type Projection, replay } from './projection.js';
export type { SnapshotPolicy } from './snapshot-policy.js';
export { type SqliteLeaseOptions, sqliteLeaseLock } from './sqlite-lease-lock.js';
export type { SqliteLikeDatabase } from './sqlite-like.js';
export { sqliteTransactions } from './sqlite-transactions.js';
export {
  consumeVersioned,
  type VersionedConsumer,
  type VersionedConsumerOptions,
  type VersionedConsumerStop,
} from './versioned-consumer.js';
