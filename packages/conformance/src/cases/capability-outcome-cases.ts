import { assert, assertEqual, describeError, show } from '../assertions.js';
import { appendManyOk } from '../batch-calls.js';
import { checkpoints, snapshots } from '../capability-calls.js';
import { type ConformanceCase, defineCases, type Need } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { feedOf } from '../feed-calls.js';
import { appendOk } from '../store-calls.js';
import type { AnyEventStore } from '../target.js';

/**
 * C8.2 and C8.3 for the optional capabilities: after `close()` every call
 * rejects with `CLOSED`, and once the backend fails a listing or a feed
 * rejects with `BACKEND` (batches, snapshots and checkpoints have their own
 * `BACKEND` cases). 1.0's C8.2 and C8.3 cases call only `append` and `events`.
 */

type WithCapabilities = Required<Pick<AnyEventStore, 'appendMany' | 'streams'>>;

/** Calls one capability the way a user would, so that its rejection (or a result where there should be none) can be checked. */
type Call = (store: AnyEventStore, stream: string) => Promise<unknown>;

/** The first `next()` of a listing or a feed: where their failures must surface (C12.4, C13.11). */
async function firstNext(what: string, iterable: () => AsyncIterable<unknown>): Promise<unknown> {
  let iterator: AsyncIterator<unknown>;
  try {
    iterator = iterable()[Symbol.asyncIterator]();
  } catch (error) {
    throw new ConformanceFailure(`${what} threw synchronously (${describeError(error)}); it must reject the first next()`);
  }
  return iterator.next();
}

const calls: Readonly<Record<'appendMany' | 'streams' | 'feed' | 'snapshots' | 'checkpoints', readonly [string, Call][]>> = {
  appendMany: [['appendMany', (store, stream) => (store as WithCapabilities).appendMany(stream, [1, 2] as never[])]],
  streams: [['the first next() of streams()', (store) => firstNext('streams()', () => (store as WithCapabilities).streams())]],
  feed: [['the first next() of feed()', (store) => firstNext('feed()', () => feedOf(store)())]],
  snapshots: [
    ['saveSnapshot', (store, stream) => snapshots(store).saveSnapshot(stream, 'after', { version: 1, seq: 1, state: {} })],
    ['loadSnapshot', (store, stream) => snapshots(store).loadSnapshot(stream, 'before')],
  ],
  checkpoints: [
    ['saveCheckpoint', (store, stream) => checkpoints(store).saveCheckpoint(`${stream}-after`, '0')],
    ['loadCheckpoint', (store, stream) => checkpoints(store).loadCheckpoint(`${stream}-before`)],
  ],
};

/** Requires `call` to reject with `code` (and, for `BACKEND`, the driver's error as `cause`). */
async function assertCallRejects(call: () => Promise<unknown>, code: 'CLOSED' | 'BACKEND', what: string, after: string): Promise<void> {
  let outcome: { resolved: unknown } | { rejected: unknown };
  try {
    outcome = { resolved: await call() };
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    outcome = { rejected: error };
  }
  if ('resolved' in outcome)
    throw new ConformanceFailure(`${what} resolved ${show(outcome.resolved)} ${after}; it must reject with code ${code}`);
  const { code: seen, cause } = (outcome.rejected ?? {}) as { code?: unknown; cause?: unknown };
  assertEqual(seen, code, `code of the rejection of ${what} ${after} (${describeError(outcome.rejected)})`);
  if (code === 'BACKEND') assert(cause !== undefined, `the BACKEND error of ${what} must carry the driver error as cause`);
}

/** Stores something through each capability first, so that the calls after close() or the fault meet a store in use. */
async function useCapability(store: AnyEventStore, capability: keyof typeof calls, stream: string): Promise<void> {
  if (capability === 'appendMany') await appendManyOk(store, stream, [1]);
  else await appendOk(store, stream, 'before');
  if (capability === 'snapshots') await snapshots(store).saveSnapshot(stream, 'before', { version: 1, seq: 1, state: {} });
  if (capability === 'checkpoints') await checkpoints(store).saveCheckpoint(`${stream}-before`, '0');
}

const closedCases: Omit<ConformanceCase, 'clause'>[] = Object.entries(calls).map(([capability, capabilityCalls]) => ({
  id: `C8.3-${capability === 'appendMany' ? 'append-many' : capability}-after-close-rejects-with-closed`,
  level: 'SHOULD',
  title: `after close(), ${capabilityCalls.map(([what]) => what).join(' and ')} reject${capabilityCalls.length > 1 ? '' : 's'} with code CLOSED`,
  hint: `check the closed flag first in ${capabilityCalls.map(([what]) => what).join(' and ')}, as in append and events`,
  needs: [capability as Need, 'close'],
  async run({ store, stream }) {
    const name = stream();
    await useCapability(store, capability as keyof typeof calls, name);
    await store.close?.();
    for (const [what, call] of capabilityCalls) await assertCallRejects(() => call(store, name), 'CLOSED', what, 'after close()');
  },
}));

const backendCases: Omit<ConformanceCase, 'clause'>[] = (['streams', 'feed'] as const).map((capability) => ({
  id:
    capability === 'feed'
      ? 'C13.11-a-feed-rejects-with-backend-once-the-backend-fails'
      : 'C8.2-a-listing-rejects-with-backend-once-the-backend-fails',
  level: 'MUST',
  title: `once the backend fails, ${calls[capability][0]![0]} rejects with code BACKEND and the driver error as cause`,
  hint: `check that ${capability}() wraps driver errors in BackendError like events does, and never ends quietly on one`,
  needs: [capability, 'fault'],
  async run({ store, stream, fault }) {
    const name = stream();
    await useCapability(store, capability, name);
    await fault();
    const [what, call] = calls[capability][0]!;
    await assertCallRejects(() => call(store, name), 'BACKEND', what, 'after the backend failed');
  },
}));

export const capabilityOutcomeCases = defineCases([...closedCases, ...backendCases]);
