export { MemoryEventStore } from './memory-event-store.js';
export type { MemoryOptions } from './memory-options.js';
