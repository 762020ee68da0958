import type { OptionNames } from '@hume/core';

/** Options of {@link MemoryEventStore}. */
export interface MemoryOptions {
  /**
   * How many events a read takes per step. Reads never copy a stream; the
   * page only bounds how long one step holds the event loop. Default 256.
   */
  readonly pageSize?: number;
}

/** Every option's name: the constructor refuses any other key. */
export const memoryOptionNames: OptionNames<MemoryOptions> = { pageSize: true };
