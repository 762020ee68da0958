import { HumeError } from './hume-error.js';

/** The arguments of the contract's functions, as named in error messages. */
export type ArgumentName =
  | 'stream'
  | 'payload'
  | 'payloads'
  | 'expect'
  | 'from'
  | 'after'
  | 'options'
  | 'url'
  | 'name'
  | 'snapshot'
  | 'position'
  | 'projection'
  | 'decide';

/**
 * An argument broke the contract's rules; nothing was stored. The message
 * names the argument (and, for payloads, the path inside it) and the reason.
 *
 * @example
 * ```ts
 * new InvalidArgumentError('stream', 'must be a non-empty string (got "")');
 * new InvalidArgumentError('payload', 'must be a finite number (got NaN)', '.amount');
 * ```
 */
export class InvalidArgumentError extends HumeError {
  declare readonly code: 'INVALID_ARGUMENT';
  readonly argument: ArgumentName;
  /** Where inside the argument the problem is, as a JS accessor (`.items[2]`); empty for the argument itself. */
  readonly path: string;

  constructor(argument: ArgumentName, reason: string, path = '') {
    super('INVALID_ARGUMENT', `${argument}${path} ${reason}`);
    this.name = 'InvalidArgumentError';
    this.argument = argument;
    this.path = path;
  }
}
