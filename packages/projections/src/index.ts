export { type Aggregate, type AggregateOptions, type AggregateResult, aggregate } from './aggregate.js';
export { type DecideContext, type HandleOptions, handle } from './handle.js';
export type { HandleResult } from './handle-result.js';
export { type Projection, replay } from './projection.js';
export type { SnapshotPolicy } from './snapshot-policy.js';
