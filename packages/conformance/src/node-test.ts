import { after, describe, it, type TestContext } from 'node:test';
import type { ConformanceOptions } from './conformance-options.js';
import { registerCases } from './register-cases.js';
import type { Target } from './target.js';

/**
 * Registers the kit with `node:test`: one `describe` for the store, one test
 * per case, named after its level, id and title. A case the target cannot
 * run is skipped with the reason as its skip message (`# SKIP the target
 * offers no fault hook`).
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
  registerCases<TestContext>(
    {
      describe: (title, body) => void describe(title, body),
      test: (title, timeout, body) => void it(title, { timeout }, body),
      skip: (title, reason) => void it(title, { skip: reason }),
      after: (body) => after(body),
      skipRunning: (context, reason) => context.skip(reason),
    },
    name,
    target,
    options,
  );
}

export type { ConformanceOptions } from './conformance-options.js';
export type { Target } from './target.js';
