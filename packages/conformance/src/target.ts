import type { EventStore } from '@hume/core';

/** A store under test, as the kit sees it: any payload, any shape of close. */
export type AnyEventStore = EventStore;

/**
 * What the kit runs against: a factory of fresh stores, or an object with
 * one and the hooks a store can offer.
 *
 * Stores created for one run may share a backend: the kit gives every case
 * its own random stream names.
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
