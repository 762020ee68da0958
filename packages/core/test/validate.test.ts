import { append, HumeError, InvalidArgumentError, isEventStore, isHumeError, UnexpectedSeqError, validate } from '@hume/core';
import { describe, expect, it } from 'vitest';

describe('validate', () => {
  it('accepts an object with append and events', () => {
    const store = { append: async () => ({ ok: true, seq: 1 }), async *events() {} };
    expect(validate(store)).toEqual({ ok: true });
    expect(isEventStore(store)).toBe(true);
  });

  it('lists every problem with code INVALID_MODULE', () => {
    const result = validate({ append: 'nope', close: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_MODULE');
    expect(result.error.problems).toEqual([
      'append must be a function (got string)',
      'events is missing',
      'close must be a function when present (got number)',
    ]);
    expect(isEventStore({})).toBe(false);
    expect(validate(null).ok).toBe(false);
  });
});

describe('append', () => {
  it('refuses bad arguments before the store is called', async () => {
    let calls = 0;
    const store = {
      append: async () => {
        calls++;
        return { ok: true as const, seq: 1 };
      },
      async *events() {},
    };
    const result = await append(store, '', { a: 1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('INVALID_ARGUMENT');
    expect(calls).toBe(0);
    expect(await append(store, 's', { a: 1 })).toEqual({ ok: true, seq: 1 });
    expect(calls).toBe(1);
  });
});

describe('errors', () => {
  it('carry stable codes and are recognised by code, not by class', () => {
    const conflict = new UnexpectedSeqError('cart-1', 2, 5);
    expect(conflict).toBeInstanceOf(HumeError);
    expect(conflict.message).toBe('stream "cart-1" was expected at seq 2, but its last seq is 5');
    expect([conflict.expected, conflict.actual]).toEqual([2, 5]);
    expect(isHumeError(new InvalidArgumentError('stream', 'x'), 'INVALID_ARGUMENT')).toBe(true);
    const foreign = Object.assign(new Error('from another copy'), { code: 'BACKEND' });
    expect(isHumeError(foreign, 'BACKEND')).toBe(true);
    expect(isHumeError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
  });
});
