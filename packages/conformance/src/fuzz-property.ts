import fc from 'fast-check';
import { show } from './assertions.js';
import type { CaseContext } from './conformance-case.js';
import { ConformanceFailure } from './conformance-failure.js';

/**
 * Runs a property with the run's seed and `fuzzRuns` runs; a counterexample
 * fails the case with the shrunk input and the seed that reproduces it.
 */
export async function holds<T>(context: CaseContext, arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>): Promise<void> {
  const details = await fc.check(fc.asyncProperty(arbitrary, check), { seed: context.seed, numRuns: context.fuzzRuns });
  if (!details.failed) return;
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new ConformanceFailure(
    `${cause}\nsmallest failing input: ${show(details.counterexample?.[0])}\nseed ${context.seed}, path ${details.counterexamplePath}: replay with --seed ${context.seed}`,
  );
}
