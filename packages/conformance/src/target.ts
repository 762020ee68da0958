import type { AppendResult, Event, Seq } from '@hume/core';

/**
 * A store under test, whatever its payload type: an `EventStore<MyEvent>`
 * fits. (The kit appends payloads of its own, so it sees `append`'s payload
 * as `never` and what `events` yields as `unknown`.)
 */
export interface AnyEventStore {
  append(stream: string, payload: never, expect?: Seq | null): Promise<AppendResult>;
  events(stream: string, from?: Seq): AsyncIterable<Event<unknown>>;
  close?(): Promise<void>;
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
}

/** The target in its object form. */
export function targetObject(target: Target): TargetObject {
  return typeof target === 'function' ? { create: target } : target;
}
