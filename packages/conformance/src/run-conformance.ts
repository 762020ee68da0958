import { CONTRACT_VERSION } from '@hume/core';
import { type ConformanceOptions, resolveOptions } from './conformance-options.js';
import type { CaseReport, ConformanceReport } from './conformance-report.js';
import { runCase } from './run-case.js';
import { selectCases } from './select-cases.js';
import type { Target } from './target.js';

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
  const count = (keep: (report: CaseReport) => boolean): number => reports.filter(keep).length;
  const mustFailed = count((r) => r.status === 'fail' && r.level === 'MUST');
  return {
    contract: CONTRACT_VERSION,
    target: resolved.name,
    seed: resolved.seed,
    ok: mustFailed === 0,
    summary: {
      total: reports.length,
      passed: count((r) => r.status === 'pass'),
      failed: count((r) => r.status === 'fail'),
      skipped: count((r) => r.status === 'skip'),
      mustFailed,
      mustSkipped: count((r) => r.status === 'skip' && r.level === 'MUST'),
    },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    cases: reports,
  };
}
