import {
  type AppendError,
  type AppendResult,
  BackendError,
  checkAppend,
  failure,
  InvalidArgumentError,
  UnexpectedSeqError,
} from '@hume/core';
import { describe, expect, it } from 'vitest';

describe('failure', () => {
  it('builds the { ok: false, error } outcome of an append', () => {
    const error = new UnexpectedSeqError('cart-1', 0, 3);
    const result: AppendResult = failure(error);
    expect(result).toEqual({ ok: false, error });
    expect(result.ok).toBe(false);
  });

  it('takes what checkAppend returns', () => {
    const invalid = checkAppend('', {}, undefined);
    expect(invalid).toBeInstanceOf(InvalidArgumentError);
    expect(failure(invalid!).error.code).toBe('INVALID_ARGUMENT');
  });

  it('throws for an error that must be rejected, not returned', () => {
    const backend = new BackendError('append failed', new Error('ECONNRESET'));
    expect(() => failure(backend as unknown as AppendError)).toThrow(
      new TypeError('failure takes an error with code UNEXPECTED_SEQ or INVALID_ARGUMENT (got code BACKEND: reject it instead)'),
    );
    expect(() => failure(new Error('x') as unknown as AppendError)).toThrow(TypeError);
  });
});
