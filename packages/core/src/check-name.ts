import { checkStream } from './check-stream.js';
import { InvalidArgumentError } from './invalid-argument-error.js';

/**
 * Checks the name of a snapshot's projection or of a checkpoint (clauses
 * C14.3, C15.3): the rules of a stream name (C7.1), with the error naming
 * `name`.
 *
 * @example
 * ```ts
 * checkName(''); // InvalidArgumentError: name must be a non-empty string (got "")
 * ```
 */
export function checkName(name: unknown): InvalidArgumentError | undefined {
  const problem = checkStream(name);
  // The stream rules' reason, after "stream ".
  return problem && new InvalidArgumentError('name', problem.message.slice('stream '.length));
}
