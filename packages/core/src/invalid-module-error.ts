import { HumeError } from './hume-error.js';

/**
 * A candidate handed to `validate` is not an event store. `problems` lists
 * each thing that is missing or wrong.
 *
 * @example
 * ```ts
 * const result = validate({}); // result.error.problems: ['append is missing', …]
 * ```
 */
export class InvalidModuleError extends HumeError {
  declare readonly code: 'INVALID_MODULE';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('INVALID_MODULE', `not an event store: ${problems.join('; ')}`);
    this.name = 'InvalidModuleError';
    this.problems = Object.freeze([...problems]);
  }
}
