import { BackendError, isHumeError } from '@hume/core';
import { describe, expect, it } from 'vitest';

describe('BackendError', () => {
  it('says by default that nothing was stored', () => {
    const cause = new Error('connect ECONNREFUSED');
    const error = new BackendError('append to "s" failed', cause);
    expect(error.outcomeUnknown).toBe(false);
    expect(error.code).toBe('BACKEND');
    expect(error.cause).toBe(cause);
    expect(isHumeError(error, 'BACKEND')).toBe(true);
  });

  it('carries an unknown outcome when told so', () => {
    const error = new BackendError('append to "s" failed', new Error('Connection terminated'), { outcomeUnknown: true });
    expect(error.outcomeUnknown).toBe(true);
    expect(Object.keys(error)).toContain('outcomeUnknown');
  });

  it('reads only a real true as unknown', () => {
    const loose = { outcomeUnknown: 1 } as unknown as { outcomeUnknown: boolean };
    expect(new BackendError('m', null, loose).outcomeUnknown).toBe(false);
  });
});
