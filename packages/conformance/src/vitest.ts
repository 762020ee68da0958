import { afterAll, describe, it } from 'vitest';
import { type ConformanceOptions, resolveOptions } from './conformance-options.js';
import type { CaseReport } from './conformance-report.js';
import { runCase } from './run-case.js';
import { buildReport, writeReport } from './run-conformance.js';
import { selectCases } from './select-cases.js';
import type { Target } from './target.js';

/**
 * Registers the kit with vitest: one `describe` for the store, one test per
 * case, named `MUST C2.4-smaller-expect-conflicts: …`. A failing case fails
 * its test with what was expected, what was seen and a hint; a case the
 * target cannot run is skipped.
 *
 * @example
 * ```ts
 * import { describeEventStore } from '@hume/conformance/vitest';
 * import { MemoryEventStore } from '@hume/memory';
 *
 * describeEventStore('memory', () => new MemoryEventStore());
 * ```
 */
export function describeEventStore(name: string, target: Target, options: ConformanceOptions = {}): void {
  const resolved = resolveOptions({ name, ...options });
  const startedAt = new Date();
  const reports: CaseReport[] = [];
  describe(`${name} keeps the Hume contract`, () => {
    const { reportFile } = resolved;
    if (reportFile !== undefined) afterAll(() => writeReport(reportFile, buildReport(resolved, startedAt, reports)));
    for (const entry of selectCases(resolved)) {
      it(`${entry.level} ${entry.id}: ${entry.title}`, { timeout: resolved.timeoutMs * 3 + 5_000 }, async (context) => {
        const report = await runCase(target, entry, resolved);
        reports.push(report);
        if (report.status === 'skip') context.skip(report.message);
        if (report.status === 'fail') throw new Error(`${report.message}\nif this fails, ${report.hint}`);
      });
    }
  });
}

export type { ConformanceOptions } from './conformance-options.js';
export type { Target } from './target.js';
