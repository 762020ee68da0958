import { HumeError } from './hume-error.js';

/**
 * The storage behind an adapter failed (connection lost, disk full, locked
 * past its timeout). `cause` is the driver's own error. Rejected, not
 * returned: it is not a contract outcome.
 *
 * @example
 * ```ts
 * throw new BackendError('append to "cart-1" failed', driverError);
 * ```
 */
export class BackendError extends HumeError {
  declare readonly code: 'BACKEND';

  constructor(message: string, cause: unknown) {
    super('BACKEND', message, { cause });
    this.name = 'BackendError';
  }
}
