import type { Json } from '@hume/core';
import type { AnyEventStore, HeldAppend, SharedStore } from './target.js';

/** How binding a clause is: a store that fails a MUST case does not conform. */
export type Level = 'MUST' | 'SHOULD';

/**
 * One check of the contract. Its id starts with the clause it checks
 * (`C2.4-…`), so a failure points at the sentence of docs/contract.md that
 * was broken.
 */
export interface ConformanceCase {
  /** `C<clause>-<what>`, unique and stable across releases. */
  readonly id: string;
  /** The clause of docs/contract.md, e.g. `C2.4`. */
  readonly clause: string;
  readonly level: Level;
  /** What the case proves, as a sentence. */
  readonly title: string;
  /** If this case fails, check … : the usual cause. */
  readonly hint: string;
  /**
   * What the case needs: a hook of the target, or a method of the store
   * (`close()`, or an optional capability such as `appendMany` or `streams`). Without it
   * the case is skipped, and the report says why.
   */
  readonly needs?: readonly Need[];
  run(context: CaseContext): Promise<void>;
}

/** Hooks a case may need, or what the store must have (`close()`, `feed()`, `appendMany()`, `streams()`, the snapshot or checkpoint methods). */
export type Need =
  | 'fault'
  | 'interrupt'
  | 'dropAfterCommit'
  | 'holdWriteLock'
  | 'refuseWrites'
  | 'stall'
  | 'callTimeoutMs'
  | 'maxPayloadBytes'
  | 'reopen'
  | 'share'
  | 'hold'
  | 'close'
  | 'feed'
  | 'appendMany'
  | 'streams'
  | 'snapshots'
  | 'checkpoints';

/**
 * Needs met by the store itself rather than by a hook of the target: known
 * only once a store exists. A store declares an optional capability of the
 * contract by having its method.
 */
export const storeNeeds: ReadonlySet<Need> = new Set(['close', 'feed', 'appendMany', 'streams', 'snapshots', 'checkpoints']);

/** The methods a store need stands for: a capability of two methods needs both. */
export const needMethods: Readonly<Record<string, readonly string[]>> = {
  snapshots: ['saveSnapshot', 'loadSnapshot'],
  checkpoints: ['saveCheckpoint', 'loadCheckpoint'],
};

/** The first method of `need` the store lacks, or `undefined` when it has them all. */
export function missingMethod(store: object, need: Need): string | undefined {
  return (needMethods[need] ?? [need]).find((method) => typeof (store as Record<string, unknown>)[method] !== 'function');
}

/** What a case gets: a fresh store and fresh stream names. */
export interface CaseContext {
  readonly store: AnyEventStore;
  /** A stream name no other case or run uses. */
  stream(label?: string): string;
  /** The target's fault hook bound to this case's store (clause C8.2). */
  fault(): Promise<void>;
  /** The target's interrupt hook bound to this case's store (clause C8.4). */
  interrupt(): Promise<void>;
  /** The target's dropAfterCommit hook bound to this case's store: the next write commits and its reply is lost (clause C8.7). */
  dropAfterCommit(): Promise<void>;
  /** The target's holdWriteLock hook bound to this case's store: resolves once the lock is held; it is released `ms` later (clause C8.8). */
  holdWriteLock(ms: number): Promise<void>;
  /** The target's refuseWrites hook bound to this case's store: resolves to a function that lets writes through again (clause C2.6). */
  refuseWrites(): Promise<() => Promise<void>>;
  /** The target's stall hook bound to this case's store: the backend stops answering; resolves to a function that makes it answer again (clause C8.9). */
  stall(): Promise<() => Promise<void>>;
  /** The longest the target's stores wait for a backend that stopped answering (C8.9); cases that need it run only then. */
  readonly callTimeoutMs: number | undefined;
  /** The maximum payload size the target declared (C5.4); cases that need it run only then. */
  readonly maxPayloadBytes: number | undefined;
  /** Another store on the same data; disposed of with the case. */
  reopen(): Promise<AnyEventStore>;
  /** How a child process reaches this case's data. */
  share(): Promise<SharedStore>;
  /** The target's hold hook bound to this case's store (clause C13.6). */
  hold(stream: string, payload: Json): Promise<HeldAppend>;
  /** Time allowed to the case, for the child processes it starts. */
  readonly timeoutMs: number;
  /** Streams used to cross page boundaries have this many events. */
  readonly longStream: number;
  /** The run's seed: seeded cases draw their workload from it, so a failure replays. */
  readonly seed: number;
  /** How many generated inputs each fuzzing case tries. */
  readonly fuzzRuns: number;
}

/** Builds the list of one clause group, filling in `clause` from each id. */
export function defineCases(cases: readonly Omit<ConformanceCase, 'clause'>[]): ConformanceCase[] {
  return cases.map((entry) => ({ ...entry, clause: entry.id.slice(0, entry.id.indexOf('-')) }));
}
