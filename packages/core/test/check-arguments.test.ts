import { runInNewContext } from 'node:vm';
import { checkAppend, checkEvents, checkExpect, checkFrom, checkPayload, checkStream, isHumeError, MAX_PAYLOAD_DEPTH } from '@hume/core';
import { describe, expect, it } from 'vitest';

describe('checkStream', () => {
  it.each([
    ['', 'stream must be a non-empty string (got "")'],
    [42, 'stream must be a non-empty string (got 42)'],
    [undefined, 'stream must be a non-empty string (got undefined)'],
    ['a\0b', 'stream must not contain U+0000 (got "a\\u0000b")'],
  ])('refuses %j with a message that names the argument', (stream, message) => {
    const error = checkStream(stream);
    expect(error?.code).toBe('INVALID_ARGUMENT');
    expect(error?.argument).toBe('stream');
    expect(error?.message).toBe(message);
  });

  it('refuses a lone surrogate', () => {
    expect(checkStream('order-\uD800')?.message).toMatch(/^stream must be well-formed Unicode/);
  });

  it('counts UTF-8 bytes, not characters, against the 1024-byte limit', () => {
    expect(checkStream('a'.repeat(1024))).toBeUndefined();
    expect(checkStream(`${'€'.repeat(341)}a`)).toBeUndefined(); // 1023 + 1 bytes
    expect(checkStream('€'.repeat(342))?.message).toBe('stream must be at most 1024 UTF-8 bytes (got 1026 bytes)');
    expect(checkStream('😀'.repeat(256))).toBeUndefined(); // 4 bytes each
    expect(checkStream('😀'.repeat(257))?.message).toMatch(/got 1028 bytes/);
  });
});

describe('checkExpect and checkFrom', () => {
  it('accept null or undefined (expect) and non-negative safe integers', () => {
    for (const value of [null, undefined, 0, 1, Number.MAX_SAFE_INTEGER]) expect(checkExpect(value)).toBeUndefined();
    for (const value of [undefined, 0, 7, Number.MAX_SAFE_INTEGER]) expect(checkFrom(value)).toBeUndefined();
  });

  it.each(['1', 1.5, Number.NaN, -1, Number.POSITIVE_INFINITY, 2 ** 53, true, {}, 1n])('refuse %s without coercion', (value) => {
    expect(checkExpect(value)?.argument).toBe('expect');
    expect(checkFrom(value)?.argument).toBe('from');
  });

  it('refuse null as from: only expect means "no check" by null', () => {
    expect(checkFrom(null)?.message).toBe('from must be a non-negative safe integer (got null)');
  });
});

describe('checkPayload', () => {
  class Point {
    x = 1;
  }
  const sparse = [1, 2, 3];
  delete sparse[1];
  const cyclic: Record<string, unknown> = { a: {} };
  (cyclic.a as Record<string, unknown>).self = cyclic;

  it.each([
    [undefined, 'payload must be a JSON value (got undefined)'],
    [{ a: { b: undefined } }, 'payload.a.b must be a JSON value (got undefined)'],
    [[1, undefined], 'payload[1] must be a JSON value (got undefined)'],
    [{ f() {} }, 'payload.f must be a JSON value (got a function)'],
    [{ s: Symbol('x') }, 'payload.s must be a JSON value (got Symbol(x) (a symbol))'],
    [{ n: 10n }, 'payload.n must be a JSON value (got 10n (a bigint))'],
    [{ n: Number.NaN }, 'payload.n must be a finite number (got NaN)'],
    [[Number.NEGATIVE_INFINITY], 'payload[0] must be a finite number (got -Infinity)'],
    [{ at: new Date(0) }, 'payload.at must be a plain object or array (got a Date; convert it to plain JSON first)'],
    [new Map(), 'payload must be a plain object or array (got a Map; convert it to plain JSON first)'],
    [{ p: new Point() }, 'payload.p must be a plain object or array (got a Point; convert it to plain JSON first)'],
    [{ bytes: new Uint8Array(2) }, 'payload.bytes must be a plain object or array (got a Uint8Array; convert it to plain JSON first)'],
    [cyclic, 'payload.a.self refers back to one of its own ancestors (a cycle)'],
    [{ list: sparse }, 'payload.list has a hole at index 1 (got a sparse array, which JSON fills with null)'],
    [{ 'odd key': '\uDC00' }, 'payload["odd key"] must be well-formed Unicode (got "\\udc00", which has a lone surrogate)'],
    [{ '\uD800': 1 }, 'payload has a key that is not well-formed Unicode (got "\\ud800")'],
    [{ [Symbol('k')]: 1 }, 'payload must not have symbol keys (JSON drops them)'],
  ])('refuses %s', (payload, message) => {
    const error = checkPayload(payload);
    expect(isHumeError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error?.message).toBe(message);
  });

  it('accepts every JSON value, shared (non-cyclic) references and null-prototype objects', () => {
    const shared = { x: 1 };
    const values: unknown[] = [null, true, 0, -0, 1e308, 5e-324, '', 'a\0b', '😀', [], {}, [shared, shared], Object.create(null)];
    for (const value of values) expect(checkPayload(value)).toBeUndefined();
  });

  it(`accepts ${MAX_PAYLOAD_DEPTH} levels of nesting and refuses one more, whatever the call stack`, () => {
    const nest = (levels: number): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { value };
      return value;
    };
    expect(checkPayload(nest(MAX_PAYLOAD_DEPTH))).toBeUndefined();
    expect(checkPayload(nest(MAX_PAYLOAD_DEPTH + 1))?.message).toMatch(/ is nested deeper than 256 levels$/);
    expect(checkPayload(nest(200_000))?.message).toMatch(/ is nested deeper than 256 levels$/);
  });

  it('refuses arrays with properties besides their elements, which JSON drops or obeys', () => {
    const extra = Object.assign([1, 2], { extra: true });
    const swapped = Object.assign([1], { toJSON: () => 'swapped' });
    expect(checkPayload({ a: extra })?.message).toBe(
      'payload.a must have only indexed elements (got an array with the property "extra", which JSON drops or obeys)',
    );
    expect(checkPayload(swapped)?.message).toMatch(/^payload must have only indexed elements .*"toJSON"/);
  });

  it('accepts plain objects and arrays from another realm', () => {
    expect(checkPayload(runInNewContext('({ a: [1, { b: null }] })'))).toBeUndefined();
    expect(checkPayload(runInNewContext('new Date(0)'))?.message).toMatch(/must be a plain object or array \(got a Date/);
  });

  it('refuses a getter, even one that throws, without running it, naming where', () => {
    let runs = 0;
    const payload = {
      ok: 1,
      get broken(): number {
        runs++;
        throw new Error('boom');
      },
    };
    expect(checkPayload(payload)?.message).toMatch(/^payload\.broken is an accessor property \(a getter runs code/);
    expect(runs).toBe(0);
  });
});

describe('checkAppend and checkEvents', () => {
  it('report the stream first, then expect, then the payload', () => {
    expect(checkAppend('', undefined, 'x')?.argument).toBe('stream');
    expect(checkAppend('s', undefined, 'x')?.argument).toBe('expect');
    expect(checkAppend('s', undefined, null)?.argument).toBe('payload');
    expect(checkAppend('s', { ok: 1 }, 3)).toBeUndefined();
    expect(checkEvents('s', -1)?.argument).toBe('from');
    expect(checkEvents('s', undefined)).toBeUndefined();
  });
});
