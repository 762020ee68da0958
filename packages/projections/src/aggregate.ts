import {
  canStoreSnapshots,
  checkStream,
  describeValue,
  type EventStore,
  InvalidArgumentError,
  type Json,
  type JsonShaped,
  type Seq,
  type Snapshot,
} from '@hume/core';
import type { Projection } from './projection.js';
import { type SnapshotPolicy, snapshotPolicyProblem } from './snapshot-policy.js';

/** A stream's state as a projection folds it, with the last seq it saw. */
export interface Aggregate<State> {
  readonly state: State;
  /** The seq of the last event folded in (0 for an empty stream): the `expect` of the next append. */
  readonly seq: Seq;
}

/** What `aggregate` did besides the state: where it started, and what happened to snapshots. */
export interface AggregateResult<State> extends Aggregate<State> {
  /** The seq the events were read after: a snapshot's seq when one was used, else 0. */
  readonly from: Seq;
  /** The seq of the snapshot saved by this call, if one was. */
  readonly saved?: Seq;
  /** Why a snapshot could not be saved (the state is not JSON, the backend failed); the state is right all the same. */
  readonly snapshotError?: Error;
}

/** Options of {@link aggregate}. */
export interface AggregateOptions {
  /**
   * Use the store's snapshots (clause C14): start from the projection's
   * snapshot when one of its `version` matches the stream, and save a new
   * one by this policy. Ignored on a store without the capability.
   */
  readonly snapshots?: SnapshotPolicy;
}

/**
 * Loads a stream's state: its events folded through `projection.evolve`,
 * from `initialState`, or, with `options.snapshots`, from the projection's
 * snapshot and the events after it. Returns the state with the stream's
 * last seq, ready to decide and append with `expect`.
 *
 * A snapshot is used only when its `version` is the projection's and the
 * event at its `seq` is in the stream (the first event read, from
 * `seq - 1`, must be that one); otherwise, or when loading it fails, the
 * whole stream is read. The state must be JSON for snapshots to be saved.
 *
 * @example
 * ```ts
 * const { state, seq } = await aggregate(store, 'account-1', balance, { snapshots: { everyEvents: 500 } });
 * ```
 */
export async function aggregate<State, P extends JsonShaped<P>>(
  store: EventStore<P>,
  stream: string,
  projection: Projection<State, P>,
  options: AggregateOptions = {},
): Promise<AggregateResult<State>> {
  const invalid = checkStream(stream) ?? checkAggregateOptions(projection, options);
  if (invalid) throw invalid;
  const policy = options.snapshots;
  if (policy === undefined || !canStoreSnapshots(store)) return foldAll(store, stream, projection);
  const started = performance.now();
  let loadError: Error | undefined;
  const snapshot = await store.loadSnapshot(stream, projection.name).catch((error: unknown) => {
    loadError = error instanceof Error ? error : new Error(String(error));
    return undefined;
  });
  // A snapshot of another version, or past the end of the stream (a database restored from an older backup): read it all.
  const fromSnapshot = snapshot?.version === projection.version ? await fold(store, stream, projection, snapshot) : undefined;
  const result = fromSnapshot ?? (await foldAll(store, stream, projection));
  const folded = result.seq - result.from;
  const due =
    (policy.everyEvents !== undefined && folded >= policy.everyEvents) ||
    (policy.everyMs !== undefined && performance.now() - started >= policy.everyMs);
  if (folded === 0 || !due) return loadError === undefined ? result : { ...result, snapshotError: loadError };
  try {
    await store.saveSnapshot(stream, projection.name, { version: projection.version, seq: result.seq, state: result.state as Json });
    return { ...result, saved: result.seq };
  } catch (error) {
    return { ...result, snapshotError: error instanceof Error ? error : new Error(String(error)) };
  }
}

async function foldAll<State, P extends JsonShaped<P>>(
  store: EventStore<P>,
  stream: string,
  projection: Projection<State, P>,
): Promise<AggregateResult<State>> {
  let state = projection.initialState;
  let seq = 0;
  for await (const event of store.events(stream)) {
    state = projection.evolve(state, event);
    seq = event.seq;
  }
  return { state, seq, from: 0 };
}

/**
 * Folds the stream from `snapshot`. With a snapshot at seq n > 0 it reads from n - 1, so the first event read proves the
 * snapshot's seq is in the stream; `undefined` when it is not.
 */
async function fold<State, P extends JsonShaped<P>>(
  store: EventStore<P>,
  stream: string,
  projection: Projection<State, P>,
  snapshot: Snapshot,
): Promise<AggregateResult<State> | undefined> {
  const from = snapshot.seq;
  let state = snapshot.state as State;
  let seq = from;
  let checked = from === 0;
  for await (const event of store.events(stream, Math.max(0, from - 1))) {
    if (!checked) {
      if (event.seq !== from) return undefined;
      checked = true;
      continue;
    }
    state = projection.evolve(state, event);
    seq = event.seq;
  }
  return checked ? { state, seq, from } : undefined;
}

function checkAggregateOptions(projection: unknown, options: unknown): InvalidArgumentError | undefined {
  if (typeof projection !== 'object' || projection === null || typeof (projection as Projection<unknown>).evolve !== 'function') {
    return new InvalidArgumentError(
      'projection',
      `must be an object with name, version, initialState and evolve (got ${describeValue(projection)})`,
    );
  }
  if (typeof options !== 'object' || options === null)
    return new InvalidArgumentError('options', `must be an object (got ${describeValue(options)})`);
  const { snapshots } = options as AggregateOptions;
  if (snapshots === undefined) return undefined;
  const { name, version } = projection as Projection<unknown>;
  if (typeof name !== 'string' || name.length === 0)
    return new InvalidArgumentError('projection', `must be a non-empty string (got ${describeValue(name)})`, '.name');
  if (!Number.isSafeInteger(version) || version < 0)
    return new InvalidArgumentError('projection', `must be a non-negative integer (got ${describeValue(version)})`, '.version');
  const problem = snapshotPolicyProblem(snapshots);
  return problem === undefined ? undefined : new InvalidArgumentError('options', problem[1], `.snapshots${problem[0]}`);
}
