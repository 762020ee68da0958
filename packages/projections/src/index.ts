export { type Aggregate, aggregate } from './aggregate.js';
export { type DecideContext, type HandleOptions, handle } from './handle.js';
export type { HandleResult } from './handle-result.js';
export { type Projection, replay } from './projection.js';
