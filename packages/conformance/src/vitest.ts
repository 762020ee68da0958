import { afterAll, describe, it, type TestContext } from 'vitest';
import type { ConformanceOptions } from './conformance-options.js';
import { registerCases } from './register-cases.js';
import type { Target } from './target.js';

/**
 * Registers the kit with vitest: one `describe` for the store, one test per
 * case, named `MUST C2.4-smaller-expect-conflicts: …`. A failing case fails
 * its test with what was expected, what was seen and a hint; a case the
 * target cannot run is skipped, its name ending with why:
 * `(skipped: the target offers no fault hook)`.
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
  registerCases<TestContext>(
    {
      describe,
      test: (title, timeout, body) => it(title, { timeout }, body),
      // it.skip takes no message: the reason goes in the name, as the CLI prints it.
      skip: (title, reason) => it.skip(`${title} (skipped: ${reason})`, () => {}),
      after: afterAll,
      skipRunning: (context, reason) => context.skip(reason),
    },
    name,
    target,
    options,
  );
}

export type { ConformanceOptions } from './conformance-options.js';
export type { Target } from './target.js';
