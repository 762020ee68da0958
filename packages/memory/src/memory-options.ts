import type { OptionNames } from '@hume/core';

/** Options of {@link MemoryEventStore}. */
export interface MemoryOptions {
  /**
   * How many events a read takes per step. Reads never copy a stream; the
   * page only bounds how long one step holds the event loop. Default 256.
   */
  readonly pageSize?: number;
  /**
   * The largest payload accepted, in UTF-8 bytes of its JSON text (clause
   * C5.4); a larger one is refused with `INVALID_ARGUMENT` naming the limit.
   * An integer from 2 MiB to 536870888. Default 16 MiB
   * (`DEFAULT_MAX_PAYLOAD_BYTES` of `@hume/core`).
   */
  readonly maxPayloadBytes?: number;
}

/** Every option's name: the constructor refuses any other key. */
export const memoryOptionNames: OptionNames<MemoryOptions> = { pageSize: true, maxPayloadBytes: true };
