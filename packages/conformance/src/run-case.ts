import { randomBytes } from 'node:crypto';
import { describeError } from './assertions.js';
import { type ConformanceCase, missingMethod, type Need, storeNeeds } from './conformance-case.js';
import { ConformanceFailure } from './conformance-failure.js';
import type { ResolvedOptions } from './conformance-options.js';
import type { CaseReport } from './conformance-report.js';
import { guardedStore } from './guarded-store.js';
import { type AnyEventStore, type Target, type TargetObject, targetObject } from './target.js';

// 64 random bits per process: runs against one shared backend never meet.
const runId = randomBytes(8).toString('hex');
let streamCounter = 0;

/**
 * Runs one case on a fresh store from `target` and disposes of the store.
 * Each step (create, the case, dispose) has `timeoutMs`; a case that runs
 * out of time is stopped. The runner bindings call this once per test.
 */
export async function runCase(target: Target, entry: ConformanceCase, options: ResolvedOptions): Promise<CaseReport> {
  const hooks = targetObject(target);
  const started = performance.now();
  const report = (status: CaseReport['status'], message?: string): CaseReport => ({
    id: entry.id,
    clause: entry.clause,
    level: entry.level,
    title: entry.title,
    status,
    durationMs: performance.now() - started,
    ...(message === undefined ? {} : { message }),
    ...(status === 'fail' ? { hint: entry.hint } : {}),
  });
  const dispose = async (store: AnyEventStore): Promise<void> => {
    await withTimeout(Promise.resolve(hooks.dispose ? hooks.dispose(store) : store.close?.()), options.timeoutMs, 'disposing of the store');
  };

  const missing = missingHook(entry, hooks);
  if (missing) return report('skip', `the target offers no ${missing} hook`);
  let store: AnyEventStore;
  try {
    store = await withTimeout(Promise.resolve(hooks.create()), options.timeoutMs, 'creating the store');
  } catch (error) {
    return report('fail', `the target could not create a store: ${explain(error)}`);
  }
  const lacking = entry.needs?.flatMap((need) => (storeNeeds.has(need) ? (missingMethod(store, need) ?? []) : []))[0];
  if (lacking) {
    await dispose(store).catch(() => undefined);
    return report('skip', `the store has no ${lacking}()`);
  }

  const stop = new AbortController();
  const reopened: AnyEventStore[] = [];
  const outcome = await withTimeout(
    entry.run({
      store: guardedStore(store, stop.signal),
      stream: (label = 's') => `hume-${runId}-${++streamCounter}-${label}`,
      fault: async () => {
        await hooks.fault?.(store);
      },
      interrupt: async () => {
        await hooks.interrupt?.(store);
      },
      dropAfterCommit: async () => {
        await hooks.dropAfterCommit?.(store);
      },
      holdWriteLock: async (ms) => {
        await hooks.holdWriteLock?.(store, ms);
      },
      refuseWrites: async () => {
        if (!hooks.refuseWrites) throw new Error('the target offers no refuseWrites hook');
        const allow = await hooks.refuseWrites(store);
        return async () => {
          await allow();
        };
      },
      stall: async () => {
        if (!hooks.stall) throw new Error('the target offers no stall hook');
        const answer = await hooks.stall(store);
        return async () => {
          await answer();
        };
      },
      callTimeoutMs: hooks.callTimeoutMs,
      reopen: async () => {
        if (!hooks.reopen) throw new Error('the target offers no reopen hook');
        const other = await hooks.reopen(store);
        reopened.push(other);
        return guardedStore(other, stop.signal);
      },
      share: async () => {
        if (!hooks.share) throw new Error('the target offers no share hook');
        return hooks.share(store);
      },
      hold: async (stream, payload) => {
        if (!hooks.hold) throw new Error('the target offers no hold hook');
        return hooks.hold(store, stream, payload);
      },
      maxPayloadBytes: hooks.maxPayloadBytes,
      timeoutMs: options.timeoutMs,
      longStream: options.longStream,
      seed: options.seed,
      fuzzRuns: options.fuzzRuns,
    }),
    options.timeoutMs,
    'the case',
  ).then(
    () => undefined,
    (error: unknown) => error,
  );
  stop.abort();
  try {
    for (const other of reopened) await dispose(other);
    await dispose(store);
  } catch (error) {
    if (outcome === undefined) return report('fail', `disposing of the store failed: ${explain(error)}`);
  }
  if (outcome === undefined) return report('pass');
  if (outcome instanceof ConformanceFailure || outcome instanceof TimeoutError) return report('fail', outcome.message);
  return report('fail', `the case threw an unexpected error: ${describeError(outcome)}`);
}

/** The first hook `entry` needs that the target does not offer (known before any store exists). */
export function missingHook(entry: ConformanceCase, hooks: TargetObject): Need | undefined {
  return entry.needs?.find((need) => !storeNeeds.has(need) && hooks[need as keyof TargetObject] === undefined);
}

class TimeoutError extends Error {}

/** A timeout speaks for itself; anything else is shown with its code or name. */
function explain(error: unknown): string {
  return error instanceof TimeoutError ? error.message : describeError(error);
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not finish within ${ms} ms (a hung lock, connection or read?)`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
