import { type ConformanceOptions, resolveOptions } from './conformance-options.js';
import type { CaseReport } from './conformance-report.js';
import { missingHook, runCase } from './run-case.js';
import { buildReport, writeReport } from './run-conformance.js';
import { selectCases } from './select-cases.js';
import { type Target, targetObject } from './target.js';

/** What the kit needs of a test runner to register one test per case. */
export interface TestRunner<Context> {
  describe(name: string, body: () => void): void;
  test(name: string, timeoutMs: number, body: (context: Context) => Promise<void>): void;
  /** Registers a test that is skipped from the start, saying why (in its name where the runner has no skip message). */
  skip(name: string, reason: string): void;
  after(body: () => Promise<void>): void;
  /** Marks the running test skipped, where the runner can (jest cannot). */
  skipRunning(context: Context, reason: string): void;
}

/**
 * Registers the kit with a runner: one `describe` for the store, one test per
 * case named `MUST C2.4-…: title`, the cases whose hooks the target lacks
 * skipped up front with the reason, and the report written after the last test when
 * `reportFile` is set. The vitest, node:test and jest bindings are this with
 * their runner's functions.
 */
export function registerCases<Context>(runner: TestRunner<Context>, name: string, target: Target, options: ConformanceOptions): void {
  const resolved = resolveOptions({ name, ...options });
  const hooks = targetObject(target);
  const startedAt = new Date();
  const reports: CaseReport[] = [];
  runner.describe(`${name} keeps the Hume contract`, () => {
    const { reportFile } = resolved;
    if (reportFile !== undefined) runner.after(() => writeReport(reportFile, buildReport(resolved, startedAt, reports)));
    for (const entry of selectCases(resolved)) {
      const title = `${entry.level} ${entry.id}: ${entry.title}`;
      const missing = missingHook(entry, hooks);
      if (missing) {
        const { id, clause, level } = entry;
        const reason = `the target offers no ${missing} hook`;
        reports.push({ id, clause, level, title: entry.title, status: 'skip', durationMs: 0, message: reason });
        runner.skip(title, reason);
        continue;
      }
      // Three steps (create, the case, dispose) may each take the whole timeout.
      runner.test(title, resolved.timeoutMs * 3 + 5_000, async (context) => {
        const report = await runCase(target, entry, resolved);
        reports.push(report);
        if (report.status === 'skip') runner.skipRunning(context, report.message ?? '');
        if (report.status === 'fail') throw new Error(`${report.message}\nif this fails, ${report.hint}`);
      });
    }
  });
}
