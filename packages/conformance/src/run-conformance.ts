import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CONTRACT_VERSION } from '@hume/core';
import { type ConformanceOptions, type ResolvedOptions, resolveOptions } from './conformance-options.js';
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
  const report = buildReport(resolved, startedAt, reports);
  if (resolved.reportFile !== undefined) await writeReport(resolved.reportFile, report);
  return report;
}

/** Sums up case reports into a run's report. */
export function buildReport(options: ResolvedOptions, startedAt: Date, reports: readonly CaseReport[]): ConformanceReport {
  const count = (keep: (report: CaseReport) => boolean): number => reports.filter(keep).length;
  const mustFailed = count((r) => r.status === 'fail' && r.level === 'MUST');
  return {
    contract: CONTRACT_VERSION,
    target: options.name,
    seed: options.seed,
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
    cases: [...reports],
  };
}

/** Writes a report as JSON, creating its folder. */
export async function writeReport(file: string, report: ConformanceReport): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}
