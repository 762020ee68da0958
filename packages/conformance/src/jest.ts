import { describe, test } from '@jest/globals';
import { type ConformanceOptions, resolveOptions } from './conformance-options.js';
import { runCase } from './run-case.js';
import { selectCases } from './select-cases.js';
import { type Target, targetObject } from './target.js';

/**
 * Registers the kit with jest: one `describe` for the store, one test per
 * case, named after its level, id and title. Jest has no way to skip a test
 * once it runs, so a case whose needs the target cannot meet is registered
 * with `test.skip` when that is known up front (no `fault` hook), and
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
  const hasFault = targetObject(target).fault !== undefined;
  describe(`${name} keeps the Hume contract`, () => {
    for (const entry of selectCases(resolved)) {
      const title = `${entry.level} ${entry.id}: ${entry.title}`;
      if (entry.needs?.includes('fault') && !hasFault) {
        test.skip(title, () => {});
        continue;
      }
      test(
        title,
        async () => {
          const report = await runCase(target, entry, resolved);
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
