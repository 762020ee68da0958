import { HumeError } from './hume-error.js';

/** Options of {@link BackendError}. */
export interface BackendErrorOptions {
  /**
   * `true` when the failed call was a write that may have been stored: its
   * statement may have reached the backend before the failure (a connection
   * lost or a timeout after it was sent). Default `false`: nothing was
   * stored (the failure came before anything was sent, or the backend
   * rolled the write back).
   */
  readonly outcomeUnknown?: boolean;
}

/**
 * The storage behind an adapter failed (connection lost, disk full, locked
 * past its timeout). `cause` is the driver's own error. Rejected, not
 * returned: it is not a contract outcome.
 *
 * `outcomeUnknown` tells a failed append that may have been stored from one
 * that certainly was not (contract clause C8.7). Settle an unknown outcome by
 * appending again with the same `expect`: success means the first attempt
 * was not stored; a conflict whose `actual` is `expect + 1` means the event
 * at `expect + 1` is either yours or another writer's, so read it to tell.
 *
 * @example
 * ```ts
 * throw new BackendError('append to "cart-1" failed', driverError, { outcomeUnknown: true });
 * ```
 */
export class BackendError extends HumeError {
  declare readonly code: 'BACKEND';
  /** `true` when the failed write may have been stored; `false` when it certainly was not (or the call was not a write). */
  readonly outcomeUnknown: boolean;

  constructor(message: string, cause: unknown, options: BackendErrorOptions = {}) {
    super('BACKEND', message, { cause });
    this.name = 'BackendError';
    this.outcomeUnknown = options.outcomeUnknown === true;
  }
}
