import type { Snapshot } from '@hume/core';
import { assert, assertEqual, assertNamesArgument, describeError, show } from './assertions.js';
import { ConformanceFailure } from './conformance-failure.js';
import type { AnyEventStore } from './target.js';

/** Calls into the snapshot and checkpoint methods (clauses C14, C15), turning each misbehaviour into a failure that says so. */

type Snapshots = Required<Pick<AnyEventStore, 'saveSnapshot' | 'loadSnapshot'>>;
type Checkpoints = Required<Pick<AnyEventStore, 'saveCheckpoint' | 'loadCheckpoint'>>;

export function snapshots(store: AnyEventStore): Snapshots {
  return store as Snapshots;
}

export function checkpoints(store: AnyEventStore): Checkpoints {
  return store as Checkpoints;
}

/** Runs `call`, requiring it to resolve; a rejection becomes a failure naming `what`. */
export async function resolves<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    throw new ConformanceFailure(`${what} rejected: ${describeError(error)}`);
  }
}

/** Saves and requires the save to resolve. */
export async function saveSnapshotOk(store: AnyEventStore, stream: string, name: string, snapshot: Snapshot): Promise<void> {
  await resolves(() => snapshots(store).saveSnapshot(stream, name, snapshot), `saveSnapshot(${show(stream)}, ${show(name)}, …)`);
}

/** Loads and requires `undefined` or a `{ version, seq, state }` object. */
export async function loadSnapshotOk(store: AnyEventStore, stream: string, name: string): Promise<Snapshot | undefined> {
  const loaded = await resolves(() => snapshots(store).loadSnapshot(stream, name), `loadSnapshot(${show(stream)}, ${show(name)})`);
  if (loaded === undefined) return undefined;
  assert(
    typeof loaded === 'object' &&
      loaded !== null &&
      'state' in loaded &&
      Number.isSafeInteger(loaded.version) &&
      Number.isSafeInteger(loaded.seq),
    `loadSnapshot must resolve to undefined or { version, seq, state } (got ${show(loaded)})`,
  );
  return loaded;
}

/** Requires `call` not to throw synchronously and to reject with `code`, its message naming `argument`. */
export async function assertRejects(call: () => Promise<unknown>, code: string, argument: string | undefined, what: string): Promise<void> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new ConformanceFailure(`${what} threw synchronously instead of rejecting: ${describeError(error)}`);
  }
  let outcome: { resolved: unknown } | { rejected: unknown };
  try {
    outcome = { resolved: await promise };
  } catch (error) {
    outcome = { rejected: error };
  }
  if ('resolved' in outcome)
    throw new ConformanceFailure(`${what} resolved (to ${show(outcome.resolved)}) instead of rejecting with ${code}`);
  assertEqual(
    (outcome.rejected as { code?: unknown } | undefined)?.code,
    code,
    `code of the rejection of ${what} (${describeError(outcome.rejected)})`,
  );
  if (argument !== undefined) assertNamesArgument(outcome.rejected, argument);
}
