import { afterAll, describe, test } from '@jest/globals';
import { type ConformanceOptions, resolveOptions } from './conformance-options.js';
import type { CaseReport } from './conformance-report.js';
import { runCase } from './run-case.js';
import { buildReport, writeReport } from './run-conformance.js';
import { selectCases } from './select-cases.js';
import { type Target, targetObject } from './target.js';

/**
 * Registers the kit with jest: one `describe` for the store, one test per
 * case, named after its level, id and title. Jest has no way to skip a test
 * once it runs, so a case whose needs the target cannot meet is registered
 * with `test.skip` when that is known up front (a hook the target lacks), and
 * otherwise (a store without `close()`) passes with a note in the log.
 *
 * @example
 * ```ts
 * import { describeEventStore } from '@hume/conformance/jest';
 * import { MemoryEventStore } from '@hume/memory';
 *
 * describeEventStore('memory', () => new MemoryEventStore());
 * ```
 */
export function describeEventStore(name: string, target: Target, options: ConformanceOptions = {}): void {
  const resolved = resolveOptions({ name, ...options });
  const startedAt = new Date();
  const reports: CaseReport[] = [];
  const hooks = targetObject(target);
  describe(`${name} keeps the Hume contract`, () => {
    const { reportFile } = resolved;
    if (reportFile !== undefined) afterAll(() => writeReport(reportFile, buildReport(resolved, startedAt, reports)));
    for (const entry of selectCases(resolved)) {
      const title = `${entry.level} ${entry.id}: ${entry.title}`;
      const missing = entry.needs?.find((need) => need !== 'close' && hooks[need] === undefined);
      if (missing) {
        const { id, clause, level } = entry;
        reports.push({
          id,
          clause,
          level,
          title: entry.title,
          status: 'skip',
          durationMs: 0,
          message: `the target offers no ${missing} hook`,
        });
        test.skip(title, () => {});
        continue;
      }
      test(
        title,
        async () => {
          const report = await runCase(target, entry, resolved);
          reports.push(report);
          reports.push(report);
          if (report.status === 'skip') console.info(`${entry.id} skipped: ${report.message}`);
          if (report.status === 'fail') throw new Error(`${report.message}\nif this fails, ${report.hint}`);
        },
        resolved.timeoutMs * 3 + 5_000,
      );
    }
  });
}

export type { ConformanceOptions } from './conformance-options.js';
export type { Target } from './target.js';
