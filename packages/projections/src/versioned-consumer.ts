import type { CheckpointStorage, EventStore, JsonShaped } from '@hume/core';
import { type Consumer, consume } from './consume.js';
import type { ConsumerOptions, ConsumerStatus, ConsumerStop } from './consumer-options.js';

/** Options of {@link consumeVersioned}: a consumer's, plus the read model's version. */
export interface VersionedConsumerOptions<P, Tx> extends ConsumerOptions<P, Tx> {
  /** The read model's version, a non-negative safe integer: bump it when the handler or the model's shape changes. */
  readonly version: number;
  /** Called once, when this version has caught up and become the active one: point readers at its model now. */
  readonly onSwitch?: (version: number) => void;
  /** Where the active version is kept (under `<name>.active`); default the store's checkpoints. */
  readonly active?: CheckpointStorage;
}

/** How a versioned consumer ended: also `superseded` when a newer version became active. */
export interface VersionedConsumerStop extends Omit<ConsumerStop, 'reason'> {
  readonly reason: ConsumerStop['reason'] | 'superseded';
}

/** A running versioned consumer. */
export interface VersionedConsumer {
  readonly done: Promise<VersionedConsumerStop>;
  status(): ConsumerStatus;
}

const width = 12;
const encode = (version: number): string => `v${String(version).padStart(width, '0')}`;
const decode = (text: string | undefined): number => (text === undefined ? -1 : Number(text.slice(1)));

/**
 * A consumer of a versioned read model, for rebuilds: version N keeps its
 * own checkpoint (`<name>.v<N>`), so a new version starts from the start of
 * the feed and builds its model alongside the running old one. When it
 * first catches up it becomes the active version (recorded under
 * `<name>.active`) and `onSwitch(N)` is called; an older version's consumer
 * sees that at its next batch or catch-up and stops with reason
 * `superseded`, and one started after it stops at once.
 *
 * @example
 * ```ts
 * const v2 = consumeVersioned(store, { name: 'balances', version: 2, handler: writeToBalancesV2, onSwitch: () => useTable('balances_v2') });
 * ```
 */
export function consumeVersioned<P extends JsonShaped<P>, Tx = undefined>(
  store: EventStore<P>,
  options: VersionedConsumerOptions<P, Tx>,
): VersionedConsumer {
  const { version, onSwitch, name, handler, onCaughtUp, signal } = options;
  const active = options.active ?? (store as unknown as CheckpointStorage);
  const activeName = `${name}.active`;
  const stop = new AbortController();
  let superseded = false;
  let switched = false;
  const check = async (): Promise<void> => {
    if (decode(await active.loadCheckpoint(activeName)) > version) {
      superseded = true;
      stop.abort();
    }
  };
  let consumer: Consumer | undefined;
  const done = (async (): Promise<VersionedConsumerStop> => {
    if (!Number.isSafeInteger(version) || version < 0)
      throw new RangeError(`options.version must be a non-negative integer (got ${String(version)})`);
    await check();
    if (superseded) return { reason: 'superseded', position: undefined, applied: 0 };
    consumer = consume(store, {
      ...options,
      name: `${name}.v${version}`,
      signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
      handler: async (events, context) => {
        await check();
        if (superseded) throw new Error(`version ${version} of ${name} was superseded`);
        await handler(events, context);
      },
      onCaughtUp: (position) => {
        onCaughtUp?.(position);
        void (async () => {
          const current = decode(await active.loadCheckpoint(activeName));
          if (current > version) {
            superseded = true;
            stop.abort();
          } else if (!switched) {
            if (current < version) await active.saveCheckpoint(activeName, encode(version));
            switched = true;
            onSwitch?.(version);
          }
        })().catch(() => undefined);
      },
    });
    try {
      const stopped = await consumer.done;
      return superseded ? { ...stopped, reason: 'superseded' } : stopped;
    } catch (error) {
      if (superseded) return { reason: 'superseded', position: consumer.status().position, applied: consumer.status().applied };
      throw error;
    }
  })();
  return {
    done,
    status: () => consumer?.status() ?? { state: 'waiting-for-lock', position: undefined, applied: 0, behindMs: 0 },
  };
}
