import { HumeError } from './hume-error.js';

/**
 * A call reached a store after its `close()`.
 *
 * @example
 * ```ts
 * await store.close(); await store.append('s', {}); // rejects with code 'CLOSED'
 * ```
 */
export class StoreClosedError extends HumeError {
  declare readonly code: 'CLOSED';

  constructor(operation: string) {
    super('CLOSED', `${operation} was called after the store was closed`);
    this.name = 'StoreClosedError';
  }
}
