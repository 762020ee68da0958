import type {
  AppendManyResult,
  AppendResult,
  Event,
  FeedEvent,
  FeedOptions,
  Json,
  Seq,
  Snapshot,
  StreamInfo,
  StreamsOptions,
} from '@hume/core';

/**
 * A store under test, whatever its payload type: an `EventStore<MyEvent>`
 * fits. (The kit appends payloads of its own, so it sees `append`'s payload
 * as `never` and what `events` yields as `unknown`.)
 */
export interface AnyEventStore {
  append(stream: string, payload: never, expect?: Seq | null): Promise<AppendResult>;
  /** Optional (clause C11): the batch cases run only on stores that have it. */
  appendMany?(stream: string, payloads: readonly never[], expect?: Seq | null): Promise<AppendManyResult>;
  events(stream: string, from?: Seq): AsyncIterable<Event<unknown>>;
  /** The global feed (clause C13), when the store has it: the feed cases run only then. */
  feed?(after?: string, options?: FeedOptions): AsyncIterable<FeedEvent<unknown>>;
  close?(): Promise<void>;
  /** The optional stream listing of clause C12; its cases are skipped without it. */
  streams?(options?: StreamsOptions): AsyncIterable<StreamInfo>;
  /** The optional snapshots of clause C14 (both methods); their cases are skipped without them. */
  saveSnapshot?(stream: string, name: string, snapshot: Snapshot): Promise<void>;
  loadSnapshot?(stream: string, name: string): Promise<Snapshot | undefined>;
  /** The optional checkpoints of clause C15 (both methods); their cases are skipped without them. */
  saveCheckpoint?(name: string, position: string): Promise<void>;
  loadCheckpoint?(name: string): Promise<string | undefined>;
}

/**
 * What the kit runs against: a factory of fresh stores, or an object with
 * one and the hooks a store can offer.
 *
 * Stores created for one run may share a backend: the kit gives every case
 * stream names that no other case or run uses.
 *
 * @example
 * ```ts
 * const target: Target = { create: () => new MemoryEventStore() };
 * ```
 */
export type Target = TargetFactory | TargetObject;

/** Returns a fresh store for one case. */
export type TargetFactory = () => AnyEventStore | Promise<AnyEventStore>;

/** A target with optional lifecycle and fault hooks. */
export interface TargetObject {
  /** Returns a fresh store for one case. */
  create: TargetFactory;
  /** Disposes of a store the kit created; when absent the kit calls the store's own `close()`, if any. */
  dispose?: (store: AnyEventStore) => void | Promise<void>;
  /**
   * Makes the store's backend fail from now on (close its database handle,
   * kill its connections), so that the kit can check clause C8.2. Cases that
   * need it are skipped when it is absent.
   */
  fault?: (store: AnyEventStore) => void | Promise<void>;
  /**
   * Drops the store's connections once, now (terminate its database
   * sessions, close and reopen its handle); the store must recover. Enables
   * clause C8.4's case.
   */
  interrupt?: (store: AnyEventStore) => void | Promise<void>;
  /**
   * Arms a fault after commit: the store's next write reaches the backend
   * and commits, and then its connection drops before the reply arrives (a
   * proxy that cuts the connection after the server's reply to a write, say).
   * Resolves once armed. Enables clause C8.7's fault-after-commit case.
   */
  dropAfterCommit?: (store: AnyEventStore) => void | Promise<void>;
  /**
   * Takes the backend's write lock from another connection (SQLite: `BEGIN
   * IMMEDIATE` on a second handle of the file; PostgreSQL: a lock on the
   * store's tables) and releases it `ms` milliseconds later. Resolves once the
   * lock is held. Enables clause C8.8's case and, with `share`, C2.5's race
   * behind a held lock; run it against a store whose lock wait you set to
   * something other than the driver's default.
   */
  holdWriteLock?: (store: AnyEventStore, ms: number) => void | Promise<void>;
  /**
   * Makes the backend refuse the store's writes while its connections stay
   * up (SQLite and PostgreSQL: a trigger, created from another connection,
   * that raises on every insert into the store's events table), and resolves
   * to a function that lets them through again. A refused write fails inside
   * its transaction, as a full disk or a constraint would. Enables clause
   * C2.6's refused-commit case: every append of the refused commit rejects
   * with `BACKEND`, none is stored, and the store works again once writes are
   * allowed (a store that left its transaction open would not).
   */
  refuseWrites?: (store: AnyEventStore) => (() => void | Promise<void>) | Promise<() => void | Promise<void>>;
  /**
   * Makes the backend stop answering the store while its connections stay
   * open (a proxy between the store and its server that stops forwarding
   * the server's replies, say: what the store sends may still run), and
   * resolves to a function that makes it answer again. Enables clause
   * C8.9's case, with {@link callTimeoutMs}: every call made meanwhile must
   * reject with `BACKEND` within that time.
   */
  stall?: (store: AnyEventStore) => (() => void | Promise<void>) | Promise<() => void | Promise<void>>;
  /**
   * The longest a call of the target's stores waits for a backend that
   * stopped answering, in milliseconds, as the stores' options set it (their
   * query and connection timeouts). Needed with {@link stall}.
   */
  callTimeoutMs?: number;
  /**
   * Opens a second store on the same data as `store` (another handle,
   * another pool). Enables the cross-instance cases (C8.5, histories over
   * several instances). The kit disposes of what it opens.
   */
  reopen?: (store: AnyEventStore) => AnyEventStore | Promise<AnyEventStore>;
  /**
   * How another process reaches the same data as `store`. Enables the
   * cross-process and crash cases.
   */
  share?: (store: AnyEventStore) => SharedStore | Promise<SharedStore>;
  /**
   * Starts an append of `payload` to `stream` whose commit the kit holds
   * open: on a backend with concurrent transactions, a transaction that has
   * written the event (taking whatever sequence values the store takes
   * before commit) and waits; on one that serialises writers (SQLite), an
   * append that starts at `commit()`. Other appends commit meanwhile.
   * Enables the feed's out-of-order cases (C13.6).
   */
  hold?: (store: AnyEventStore, stream: string, payload: Json) => Promise<HeldAppend>;
  /**
   * The maximum payload size the target's stores were given (C5.4), in
   * UTF-8 bytes of JSON text, when it is not the store's default (an
   * adapter's `maxPayloadBytes` option, say). The kit then checks that
   * limit exactly: a payload, a batch and a snapshot state of that many
   * bytes are stored, one byte more is refused. Run it with a value other
   * than your default, so that an option that never reaches the check shows.
   */
  maxPayloadBytes?: number;
}

/**
 * An append held open by the target's `hold` hook.
 *
 * @example
 * ```ts
 * const held = await target.hold(store, 'cart-1', { type: 'late' });
 * await store.append('cart-2', { type: 'early' });
 * const seq = await held.commit();
 * ```
 */
export interface HeldAppend {
  /** Commits the append; resolves to its seq once it is acknowledged. */
  commit(): Promise<Seq>;
  /** Abandons it: nothing is stored. */
  rollback(): Promise<void>;
}

/**
 * What a child process needs to open a store on the same data: a module
 * whose default export is `(options) => store` (or a promise of one), and
 * those options, as JSON.
 *
 * @example
 * ```ts
 * const shared: SharedStore = { module: new URL('./open-store.js', import.meta.url).href, options: { file } };
 * ```
 */
export interface SharedStore {
  /** An absolute path or a `file:` URL of a JavaScript module Node can import. */
  readonly module: string;
  readonly options: Json;
}

/** The target in its object form. */
export function targetObject(target: Target): TargetObject {
  return typeof target === 'function' ? { create: target } : target;
}
