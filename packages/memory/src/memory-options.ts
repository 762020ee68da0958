/** Options of {@link MemoryEventStore}. */
export interface MemoryOptions {
  /**
   * How many events a read takes per step. Reads never copy a stream; the
   * page only bounds how long one step holds the event loop. Default 256.
   */
  readonly pageSize?: number;
}
