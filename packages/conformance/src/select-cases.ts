import { cases } from './cases/index.js';
import type { ConformanceCase } from './conformance-case.js';
import type { ConformanceOptions } from './conformance-options.js';

/**
 * The cases a run with these options selects: all, or those whose id or
 * title matches `grep` (a string is read as a regular expression).
 *
 * @example
 * ```ts
 * selectCases({ grep: '^C2\\.' }).map((c) => c.id);
 * ```
 */
export function selectCases(options: Pick<ConformanceOptions, 'grep'> = {}): readonly ConformanceCase[] {
  const { grep } = options;
  if (grep === undefined) return cases;
  // Without the g and y flags: they make test() remember where it stopped, and skip cases.
  const pattern = typeof grep === 'string' ? new RegExp(grep) : new RegExp(grep.source, grep.flags.replace(/[gy]/g, ''));
  return cases.filter((entry) => pattern.test(entry.id) || pattern.test(entry.title));
}
