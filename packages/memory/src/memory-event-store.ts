import {
  type AppendManyResult,
  type AppendResult,
  type CheckpointStorage,
  checkEvents,
  checkMaxPayloadBytes,
  checkOptions,
  DEFAULT_MAX_PAYLOAD_BYTES,
  type Event,
  type EventStore,
  type FeedEvent,
  type FeedOptions,
  type Json,
  type JsonShaped,
  listStreamsPaged,
  PagedEventReader,
  prepareAppend,
  prepareAppendMany,
  type Seq,
  type Snapshot,
  type SnapshotStorage,
  StoreClosedError,
  type StreamInfo,
  type StreamListing,
  type StreamsOptions,
  UnexpectedSeqError,
} from '@hume/core';
import { deepFreeze } from './deep-freeze.js';
import { pushBatch } from './memory-append-many.js';
import { MemoryCheckpoints } from './memory-checkpoints.js';
import { MemoryFeed } from './memory-feed.js';
import { type MemoryOptions, memoryOptionNames } from './memory-options.js';
import { MemorySnapshots } from './memory-snapshots.js';
import { memoryStreamsPage } from './memory-streams.js';

/**
 * An event store that keeps each stream as an array in this process. Appends
 * are O(1) and atomic (no await between the check and the write); reads walk
 * the array by index, a page per step. Stored events are deep-frozen copies,
 * handed out as they are: mutating one throws in strict mode and never
 * changes the store.
 *
 * @example
 * ```ts
 * const store = new MemoryEventStore();
 * await store.append('cart-1', { type: 'opened' }, 0);
 * for await (const event of store.events('cart-1')) console.log(event);
 * ```
 */
export class MemoryEventStore<P extends JsonShaped<P> = Json> implements EventStore<P>, StreamListing, SnapshotStorage, CheckpointStorage {
  readonly #streams = new Map<string, Event<P>[]>();
  readonly #pageSize: number;
  readonly #maxPayloadBytes: number;
  readonly #feed: MemoryFeed<P>;
  readonly #snapshots: MemorySnapshots;
  readonly #checkpoints = new MemoryCheckpoints();
  #closed = false;

  constructor(options: MemoryOptions = {}) {
    checkOptions(options, memoryOptionNames);
    const { pageSize = 256, maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES } = options;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer (got ${pageSize})`);
    const problem = checkMaxPayloadBytes(maxPayloadBytes);
    if (problem) throw new RangeError(`maxPayloadBytes ${problem}`);
    this.#pageSize = pageSize;
    this.#maxPayloadBytes = maxPayloadBytes;
    this.#feed = new MemoryFeed(pageSize);
    this.#snapshots = new MemorySnapshots(maxPayloadBytes);
  }

  /**
   * Appends `payload` at the stream's last seq + 1, when `expect` (if given)
   * equals the last seq.
   *
   * @example
   * ```ts
   * const result = await store.append('cart-1', { type: 'item-added', sku: 'a1' }, 1);
   * ```
   */
  async append(stream: string, payload: P, expect?: Seq | null): Promise<AppendResult> {
    if (this.#closed) throw new StoreClosedError('append');
    const prepared = prepareAppend(stream, payload, expect, { maxPayloadBytes: this.#maxPayloadBytes });
    if (!prepared.ok) return prepared;
    // From here to the push there is no await, so concurrent appends cannot interleave.
    const events = this.#streams.get(stream) ?? [];
    const last = events.length;
    if (expect != null && expect !== last) return { ok: false, error: new UnexpectedSeqError(stream, expect, last) };
    const seq = last + 1;
    // JSON text in and out: the copy shares nothing with the caller and is exactly what was checked (-0 becomes 0).
    const event = deepFreeze({ seq, payload: JSON.parse(prepared.json) as P });
    events.push(event);
    if (last === 0) this.#streams.set(stream, events);
    this.#feed.add(stream, event);
    return { ok: true, seq };
  }

  /**
   * Appends `payloads` at the stream's last seq + 1 … last + n, all or none,
   * when `expect` (if given) equals the last seq (clause C11). At most
   * 10,000 events and `maxPayloadBytes` of JSON text in total.
   *
   * @example
   * ```ts
   * const result = await store.appendMany('cart-1', [{ type: 'opened' }, { type: 'item-added', sku: 'a1' }], 0);
   * if (result.ok) console.log(result.first, result.seq); // 1 2
   * ```
   */
  async appendMany(stream: string, payloads: readonly P[], expect?: Seq | null): Promise<AppendManyResult> {
    if (this.#closed) throw new StoreClosedError('appendMany');
    const prepared = prepareAppendMany(stream, payloads, expect, { maxPayloadBytes: this.#maxPayloadBytes });
    if (!prepared.ok) return prepared;
    const result = pushBatch(this.#streams, stream, prepared.json, expect);
    // The batch's events enter the feed in the same turn, in order: a feed reader sees all of them or none.
    if (result.ok) for (const event of this.#streams.get(stream)?.slice(result.first - 1, result.seq) ?? []) this.#feed.add(stream, event);
    return result;
  }

  /**
   * Yields the stream's events after `from`, ascending.
   *
   * @example
   * ```ts
   * for await (const { seq, payload } of store.events('cart-1', 10)) apply(seq, payload);
   * ```
   */
  events(stream: string, from: Seq = 0): AsyncIterableIterator<Event<P>, undefined> {
    // Never throws here (C7.5): a closed store or a bad argument rejects the first next().
    const failure = this.#closed ? new StoreClosedError('events') : checkEvents(stream, from);
    const readPage = (after: Seq, limit: number): Event<P>[] => {
      if (this.#closed) throw new StoreClosedError('events');
      // Looked up per page: the stream may have been created or grown since the last one. Seq n is at index n - 1.
      return this.#streams.get(stream)?.slice(after, after + limit) ?? [];
    };
    return new PagedEventReader(readPage, from, this.#pageSize, failure);
  }

  /**
   * Every event of every stream after position `after`, in append order
   * (clause C13); with `{ live: true }` it then yields new events as they
   * are appended, until `options.signal` aborts.
   *
   * @example
   * ```ts
   * for await (const { position, stream, payload } of store.feed(checkpoint, { prefix: 'cart-' })) {
   *   project(stream, payload);
   *   checkpoint = position;
   * }
   * ```
   */
  feed(after?: string, options?: FeedOptions): AsyncIterableIterator<FeedEvent<P>, undefined> {
    return this.#feed.read(after, options);
  }

  /**
   * Lists the streams with their last seq, ascending by name (clause C12).
   *
   * @example
   * ```ts
   * for await (const { stream, last } of store.streams({ prefix: 'cart-' })) console.log(stream, last);
   * ```
   */
  streams(options?: StreamsOptions): AsyncGenerator<StreamInfo, undefined, undefined> {
    const failure = this.#closed ? new StoreClosedError('streams') : undefined;
    return listStreamsPaged(
      (range, limit) => {
        if (this.#closed) throw new StoreClosedError('streams');
        return memoryStreamsPage(this.#streams, range, limit);
      },
      options,
      this.#pageSize,
      failure,
    );
  }

  /**
   * Stores `snapshot` for (`stream`, `name`), replacing the one there
   * (clause C14). Its state may be any JSON value up to `maxPayloadBytes`.
   *
   * @example
   * ```ts
   * await store.saveSnapshot('account-1', 'balance', { version: 1, seq: 3, state: { balance: 5 } });
   * ```
   */
  async saveSnapshot(stream: string, name: string, snapshot: Snapshot): Promise<void> {
    if (this.#closed) throw new StoreClosedError('saveSnapshot');
    this.#snapshots.save(stream, name, snapshot);
  }

  /**
   * The snapshot saved last for (`stream`, `name`), deep-frozen, or `undefined` (clause C14).
   *
   * @example
   * ```ts
   * const snapshot = await store.loadSnapshot('account-1', 'balance');
   * ```
   */
  async loadSnapshot(stream: string, name: string): Promise<Snapshot | undefined> {
    if (this.#closed) throw new StoreClosedError('loadSnapshot');
    return this.#snapshots.load(stream, name);
  }

  /**
   * Stores `position` as the checkpoint `name` (clause C15).
   *
   * @example
   * ```ts
   * await store.saveCheckpoint('balances', position);
   * ```
   */
  async saveCheckpoint(name: string, position: string): Promise<void> {
    if (this.#closed) throw new StoreClosedError('saveCheckpoint');
    this.#checkpoints.save(name, position);
  }

  /**
   * The position saved last as `name`, or `undefined` (clause C15).
   *
   * @example
   * ```ts
   * const after = await store.loadCheckpoint('balances');
   * ```
   */
  async loadCheckpoint(name: string): Promise<string | undefined> {
    if (this.#closed) throw new StoreClosedError('loadCheckpoint');
    return this.#checkpoints.load(name);
  }

  /**
   * Drops every event and refuses further calls with code `CLOSED`.
   * Idempotent.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#streams.clear();
    this.#snapshots.clear();
    this.#checkpoints.clear();
    this.#feed.close();
  }
}
