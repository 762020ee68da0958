import type { FeedOptions, Seq } from '@hume/core';
import { assert, describeError, show } from './assertions.js';
import { ConformanceFailure } from './conformance-failure.js';
import { appendOk } from './store-calls.js';
import type { AnyEventStore } from './target.js';

/** Calls into a store's feed (clause C13), turning each way it can misbehave into a failure that says so. */

/** One event of the feed, as the kit keeps it. */
export interface FeedItem {
  readonly position: string;
  readonly stream: string;
  readonly seq: Seq;
  readonly payload: unknown;
}

/** The store's feed; the feed cases run only on stores that have one. */
export function feedOf(store: AnyEventStore): NonNullable<AnyEventStore['feed']> {
  const feed = store.feed;
  assert(typeof feed === 'function', 'the store has no feed()');
  return (after, options) => feed.call(store, after, options);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** Requires `value` to be a well-formed feed event whose position follows `previous` (C13.4). */
export function checkItem(value: unknown, previous: string | undefined, what: string): FeedItem {
  const item = value as Partial<FeedItem> | null;
  assert(
    typeof item === 'object' &&
      item !== null &&
      typeof item.position === 'string' &&
      typeof item.stream === 'string' &&
      Number.isSafeInteger(item.seq) &&
      (item.seq as number) >= 1,
    `${what}: the feed must yield { position, stream, seq, payload } with a string position and a positive seq (got ${show(value)})`,
  );
  const position = item.position as string;
  assert(PRINTABLE_ASCII.test(position), `${what}: positions must be non-empty printable ASCII (C13.4), got ${show(position)}`);
  assert(
    previous === undefined || previous < position,
    `${what}: positions must ascend as strings (C13.4) and follow after (C13.5): ${show(previous)} was followed by ${show(position)} (${item.stream} seq ${item.seq})`,
  );
  return item as FeedItem;
}

/**
 * Reads a feed that ends (not live) into an array, checking each event's
 * shape and that positions ascend after `after`. Fails after `limit` events,
 * so a feed that never ends fails rather than hangs.
 */
export async function readFeed(
  store: AnyEventStore,
  after: string | undefined,
  options: FeedOptions | undefined,
  what: string,
  limit = 200_000,
): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  let previous = after;
  try {
    for await (const value of feedOf(store)(after, options)) {
      const item = checkItem(value, previous, what);
      assert(items.length < limit, `${what}: the feed yielded more than the ${limit} events it can have (does it repeat itself?)`);
      previous = item.position;
      items.push(item);
    }
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    throw new ConformanceFailure(`${what}: reading the feed after ${show(after)} failed: ${describeError(error)}`);
  }
  return items;
}

/**
 * The position of a fresh marker event: feeds read after it see only what
 * was appended after it, however many events other cases left on a shared
 * backend. Found through the prefix filter on the marker's own stream.
 */
export async function feedStart(store: AnyEventStore, stream: string): Promise<string> {
  await appendOk(store, stream, { marker: true });
  const items = await readFeed(store, undefined, { prefix: stream }, 'finding the marker event through its prefix');
  const marker = items.find((item) => item.stream === stream);
  assert(marker !== undefined, `the marker appended to ${show(stream)} is not in the feed filtered by its own name (got ${show(items)})`);
  return marker.position;
}

/** `stream seq` keys, for comparisons. */
export function keys(items: readonly FeedItem[]): string[] {
  return items.map((item) => `${item.stream} ${item.seq}`);
}

/**
 * Requires `items` to hold exactly the acknowledged events, each once, each
 * stream in seq order from 1 (C13.1, C13.2, C13.3). `acknowledged` maps each
 * stream to its payloads by seq (index 0 is seq 1).
 */
export function assertDelivered(items: readonly FeedItem[], acknowledged: ReadonlyMap<string, readonly unknown[]>, what: string): void {
  const next = new Map<string, Seq>();
  const positions = new Set<string>();
  for (const item of items) {
    assert(!positions.has(item.position), `${what}: position ${item.position} was yielded twice (C13.3)`);
    positions.add(item.position);
    const payloads = acknowledged.get(item.stream);
    assert(payloads !== undefined, `${what}: the feed yielded an event of ${show(item.stream)}, a stream nobody appended to`);
    const expected = (next.get(item.stream) ?? 0) + 1;
    if (item.seq !== expected) {
      throw new ConformanceFailure(
        item.seq < expected
          ? `${what}: ${item.stream} seq ${item.seq} was yielded again, or after seq ${expected - 1} (C13.2, C13.3)`
          : `${what}: ${item.stream} seq ${item.seq} came where seq ${expected} should have (a skipped or reordered event, C13.2)`,
        { expected, actual: item.seq },
      );
    }
    next.set(item.stream, expected);
    assert(
      JSON.stringify(item.payload) === JSON.stringify(payloads[item.seq - 1]),
      `${what}: ${item.stream} seq ${item.seq} carries ${show(item.payload)}, but ${show(payloads[item.seq - 1])} was appended there`,
    );
  }
  for (const [stream, payloads] of acknowledged) {
    const seen = next.get(stream) ?? 0;
    assert(
      seen === payloads.length,
      `${what}: ${stream} has ${payloads.length} acknowledged events, the feed yielded ${seen} of them (C13.1: a missing event)`,
    );
  }
}

/** Records acknowledged appends per stream, by seq. */
export class Acknowledged {
  readonly byStream = new Map<string, unknown[]>();

  /** Notes that `payload` was acknowledged at `seq` of `stream`. */
  add(stream: string, seq: Seq, payload: unknown): void {
    const payloads = this.byStream.get(stream) ?? [];
    this.byStream.set(stream, payloads);
    payloads[seq - 1] = payload;
  }

  /** Appends and notes it. */
  async append(store: AnyEventStore, stream: string, payload: unknown): Promise<Seq> {
    const seq = await appendOk(store, stream, payload);
    this.add(stream, seq, payload);
    return seq;
  }

  get count(): number {
    let count = 0;
    for (const payloads of this.byStream.values()) count += payloads.length;
    return count;
  }
}
