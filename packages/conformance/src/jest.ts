import { afterAll, describe, test } from '@jest/globals';
import type { ConformanceOptions } from './conformance-options.js';
import { registerCases } from './register-cases.js';
import type { Target } from './target.js';

/**
 * Registers the kit with jest: one `describe` for the store, one test per
 * case, named after its level, id and title. Jest cannot skip a test once
 * it runs: a case whose hook the target lacks is registered with
 * `test.skip`, its name ending with why (`(skipped: the target offers no
 * fault hook)`), and one that finds no `close()` on the store passes with a
 * note in the log.
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
  registerCases<undefined>(
    {
      describe,
      test: (title, timeout, body) => test(title, () => body(undefined), timeout),
      skip: (title, reason) => test.skip(`${title} (skipped: ${reason})`, () => {}),
      after: afterAll,
      skipRunning: (_, reason) => console.info(`skipped: ${reason}`),
    },
    name,
    target,
    options,
  );
}

export type { ConformanceOptions } from './conformance-options.js';
export type { Target } from './target.js';
