import { compareStreamNames, type Event, type StreamInfo, type StreamRange } from '@hume/core';

/**
 * One page of the memory store's stream listing (clause C12): the names in
 * `range`, sorted in code-point order, with their last seq. It walks every
 * name of the map per page, O(streams · log) a page: fine for the test-sized
 * stores this adapter is for, and it needs no second index to keep in step
 * with appends.
 *
 * @example
 * ```ts
 * memoryStreamsPage(streams, { after: undefined, from: 'cart-', to: 'cart.' }, 100);
 * ```
 */
export function memoryStreamsPage<P>(streams: ReadonlyMap<string, readonly Event<P>[]>, range: StreamRange, limit: number): StreamInfo[] {
  const { after, from, to } = range;
  const names: string[] = [];
  for (const name of streams.keys()) {
    if (after !== undefined && compareStreamNames(name, after) <= 0) continue;
    if (compareStreamNames(name, from) < 0 || (to !== undefined && compareStreamNames(name, to) >= 0)) continue;
    names.push(name);
  }
  names.sort(compareStreamNames);
  return names.slice(0, limit).map((stream) => ({ stream, last: streams.get(stream)?.length ?? 0 }));
}
