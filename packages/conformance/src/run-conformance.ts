import { randomBytes } from 'node:crypto';
import { CONTRACT_VERSION } from '@hume/core';
import { describeError } from './assertions.js';
import { cases as allCases } from './cases/index.js';
import type { ConformanceCase } from './conformance-case.js';
import { ConformanceFailure } from './conformance-failure.js';
import type { CaseReport, ConformanceReport } from './conformance-report.js';
import { type AnyEventStore, type Target, type TargetObject, targetObject } from './target.js';

/** How a run is carried out. */
export interface ConformanceOptions {
  /** Shown in reports. Default `'event store'`. */
  name?: string;
  /** Runs only the cases whose id or title matches. */
  grep?: string | RegExp;
  /** Time allowed for one case, creation and disposal included. Default 60 000 ms. */
  timeoutMs?: number;
  /** Length of the streams that cross page boundaries (C4.3, C4.5). Default 2 500. */
  longStream?: number;
}

/** The options with their defaults filled in. */
export type ResolvedOptions = Required<Omit<ConformanceOptions, 'grep'>> & Pick<ConformanceOptions, 'grep'>;

export function resolveOptions(options: ConformanceOptions = {}): ResolvedOptions {
  return { name: 'event store', timeoutMs: 60_000, longStream: 2_500, ...options };
}

/**
 * The cases a run with these options selects.
 *
 * @example
 * ```ts
 * selectCases({ grep: /^C2\./ }).map((c) => c.id);
 * ```
 */
export function selectCases(options: Pick<ConformanceOptions, 'grep'> = {}): readonly ConformanceCase[] {
  const { grep } = options;
  if (grep === undefined) return allCases;
  const pattern = typeof grep === 'string' ? new RegExp(grep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : grep;
  return allCases.filter((entry) => pattern.test(entry.id) || pattern.test(entry.title));
}

/**
 * Runs every case (or those `grep` selects) against `target`, one fresh
 * store per case, and returns the report. It never throws for a failing
 * case: read `report.ok`.
 *
 * @example
 * ```ts
 * const report = await runConformance(() => new MemoryEventStore(), { name: 'memory' });
 * if (!report.ok) console.error(formatReport(report));
 * ```
 */
export async function runConformance(target: Target, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const resolved = resolveOptions(options);
  const startedAt = new Date();
  const reports: CaseReport[] = [];
  for (const entry of selectCases(resolved)) reports.push(await runCase(target, entry, resolved));
  const failed = reports.filter((r) => r.status === 'fail');
  const mustFailed = failed.filter((r) => r.level === 'MUST').length;
  return {
    contract: CONTRACT_VERSION,
    target: resolved.name,
    ok: mustFailed === 0,
    summary: {
      total: reports.length,
      passed: reports.filter((r) => r.status === 'pass').length,
      failed: failed.length,
      skipped: reports.filter((r) => r.status === 'skip').length,
      mustFailed,
    },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    cases: reports,
  };
}

const runId = randomBytes(4).toString('hex');
let streamCounter = 0;

/**
 * Runs one case on a fresh store from `target` and disposes of the store.
 * The runner bindings call it once per test.
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

  if (entry.needs?.includes('fault') && !hooks.fault) return report('skip', 'the target offers no fault hook');
  let store: AnyEventStore;
  try {
    store = await hooks.create();
  } catch (error) {
    return report('fail', `the target could not create a store: ${describeError(error)}`);
  }
  if (entry.needs?.includes('close') && typeof store.close !== 'function') {
    await dispose(hooks, store).catch(() => undefined);
    return report('skip', 'the store has no close()');
  }

  const outcome = await withTimeout(
    entry.run({
      store,
      stream: (label = 's') => `hume-${runId}-${++streamCounter}-${label}`,
      fault: async () => {
        await hooks.fault?.(store);
      },
      longStream: options.longStream,
    }),
    options.timeoutMs,
  ).then(
    () => undefined,
    (error: unknown) => error,
  );
  try {
    await dispose(hooks, store);
  } catch (error) {
    if (outcome === undefined) return report('fail', `disposing of the store failed: ${describeError(error)}`);
  }
  if (outcome === undefined) return report('pass');
  if (outcome instanceof ConformanceFailure) return report('fail', outcome.message);
  if (outcome instanceof TimeoutError) return report('fail', outcome.message);
  return report('fail', `the case threw an unexpected error: ${describeError(outcome)}`);
}

async function dispose(hooks: TargetObject, store: AnyEventStore): Promise<void> {
  if (hooks.dispose) await hooks.dispose(store);
  else await store.close?.();
}

class TimeoutError extends Error {}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`the case did not finish within ${ms} ms (a hung lock, connection or read?)`)), ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
