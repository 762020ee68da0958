// The feed's floor is a contender: it must read every event once, in order, and stop at the short page.
import { expect, test } from 'vitest';
import { type FloorEvent, feedFloor } from '../src/feed-floor.js';

const event = (n: number): FloorEvent => ({ position: String(n).padStart(3, '0'), stream: `s-${n % 2}`, seq: n, payload: { n } });

test('yields every page in order, reads a page only once the last is used up, and ends at a short page', async () => {
  const pages = [[1, 2, 3], [4, 5, 6], [7]].map((page) => page.map(event));
  const reads: number[] = [];
  const seen: number[] = [];
  const floor = feedFloor(async () => {
    reads.push(seen.length);
    return pages.shift() ?? [];
  }, 3);
  for await (const { seq } of floor) seen.push(seq);
  expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  // Asked for a page after 0, 3 and 6 events: never ahead, never past the short page.
  expect(reads).toEqual([0, 3, 6]);
  expect(await floor.next()).toEqual({ done: true, value: undefined });
});

test('ends after a full page followed by an empty one', async () => {
  const pages = [[1, 2].map(event), []];
  const seen: number[] = [];
  for await (const { seq } of feedFloor(() => pages.shift() ?? [event(99)], 2)) seen.push(seq);
  expect(seen).toEqual([1, 2]);
  expect(pages).toEqual([]);
});
