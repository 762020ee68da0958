import { after, describe, it } from 'node:test';
import { type ConformanceOptions, resolveOptions } from './conformance-options.js';
import type { CaseReport } from './conformance-report.js';
import { runCase } from './run-case.js';
import { buildReport, writeReport } from './run-conformance.js';
import { selectCases } from './select-cases.js';
import type { Target } from './target.js';

/**
 * Registers the kit with `node:test`: one `describe` for the store, one test
 * per case, named after its level, id and title.
 *
 * @example
 * ```ts
 * import { describeEventStore } from '@hume/conformance/node-test';
 * import { MemoryEventStore } from '@hume/memory';
 *
 * describeEventStore('memory', () => new MemoryEventStore());
 * ```
 */
export function describeEventStore(name: string, target: Target, options: ConformanceOptions = {}): void {
  const resolved = resolveOptions({ name, ...options });
  const startedAt = new Date();
  const reports: CaseReport[] = [];
  void describe(`${name} keeps the Hume contract`, () => {
    const { reportFile } = resolved;
    if (reportFile !== undefined) after(() => writeReport(reportFile, buildReport(resolved, startedAt, reports)));
    for (const entry of selectCases(resolved)) {
      void it(`${entry.level} ${entry.id}: ${entry.title}`, { timeout: resolved.timeoutMs * 3 + 5_000 }, async (context) => {
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
