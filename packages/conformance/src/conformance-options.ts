import { checkOptions, type OptionNames } from '@hume/core';
import { randomSeed } from './history/prng.js';

/** How a run is carried out. */
export interface ConformanceOptions {
  /** Shown in reports. Default `'event store'`. */
  name?: string;
  /** Runs only the cases whose id or title matches; a string is read as a regular expression. */
  grep?: string | RegExp;
  /** Time allowed for each step of a case: creating the store, the case itself, disposing of the store. Default 120 000 ms. */
  timeoutMs?: number;
  /** Length of the streams that cross page boundaries (C4.3, C4.5). Default 2 500. */
  longStream?: number;
  /** Seed of the seeded cases (histories, fuzzing). Default: a fresh one per run, printed in the report. */
  seed?: number;
  /** Generated inputs per fuzzing case. Default 50: seconds per store; raise it for a long run. */
  fuzzRuns?: number;
  /** Writes the run's report as JSON to this file when the run ends (also from the runner bindings). */
  reportFile?: string;
}

/** Every option's name: any other key is refused. */
const conformanceOptionNames: OptionNames<ConformanceOptions> = {
  name: true,
  grep: true,
  timeoutMs: true,
  longStream: true,
  seed: true,
  fuzzRuns: true,
  reportFile: true,
};

/** The options with their defaults filled in. */
export type ResolvedOptions = Required<Omit<ConformanceOptions, 'grep' | 'reportFile'>> & Pick<ConformanceOptions, 'grep' | 'reportFile'>;

/**
 * Fills in the defaults. A key that is no option throws a `TypeError`: a
 * misspelt `timeoutMS` would otherwise run with the default unnoticed.
 *
 * @example
 * ```ts
 * resolveOptions({ grep: /^C2\./ }).timeoutMs; // 120000
 * ```
 */
export function resolveOptions(options: ConformanceOptions = {}): ResolvedOptions {
  checkOptions(options, conformanceOptionNames);
  return { name: 'event store', timeoutMs: 120_000, longStream: 2_500, seed: randomSeed(), fuzzRuns: 50, ...options };
}
