import { runInNewContext } from 'node:vm';
import {
  checkMaxPayloadBytes,
  checkPayload,
  DEFAULT_MAX_PAYLOAD_BYTES,
  isHumeError,
  MAX_MAX_PAYLOAD_BYTES,
  MIN_MAX_PAYLOAD_BYTES,
  prepareAppend,
  serializePayload,
} from '@hume/core';
import { describe, expect, it } from 'vitest';

/** The refusal of `payload`, which must be an INVALID_ARGUMENT naming the payload; its message. */
function refusal(payload: unknown, maxBytes?: number): string {
  const result = serializePayload(payload, maxBytes === undefined ? {} : { maxBytes });
  expect(result.ok).toBe(false);
  if (result.ok) return '';
  expect(isHumeError(result.error, 'INVALID_ARGUMENT')).toBe(true);
  expect(result.error.argument).toBe('payload');
  // checkPayload is the same check: what it accepts is what serializePayload writes.
  expect(checkPayload(payload, maxBytes === undefined ? {} : { maxBytes })?.message).toBe(result.error.message);
  return result.error.message;
}

describe('serializePayload', () => {
  it('writes exactly what JSON.stringify writes for every payload it accepts', () => {
    const shared = { x: 1 };
    const payloads: unknown[] = [
      null,
      true,
      false,
      0,
      -0,
      1e21,
      5e-324,
      -1.5,
      '',
      'a\0b\u2028"\\\n😀é',
      [],
      {},
      [shared, shared, [null, [[]]]],
      Object.create(null),
      JSON.parse('{"__proto__":{"x":1},"2":"two","1":"one","b":1,"a":2,"":3}'),
      Object.defineProperty({ shown: 1 }, 'hidden', { value: 2, enumerable: false }),
      runInNewContext('({ a: [1, { b: null }], c: "d" })'),
      Object.setPrototypeOf([1, 2], null),
      { nested: { deeper: [{ list: [1, 'two', { three: 3 }] }] } },
    ];
    for (const payload of payloads) {
      const result = serializePayload(payload);
      expect(result).toEqual({ ok: true, json: JSON.stringify(payload), bytes: Buffer.byteLength(JSON.stringify(payload)) });
    }
  });

  it('matches JSON.stringify on random JSON values', () => {
    let state = 7;
    const next = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const text = (): string =>
      String.fromCodePoint(...Array.from({ length: next(6) }, () => [next(128), next(0xd7ff), 0x10000 + next(0xfffff)][next(3)] as number));
    const value = (depth: number): unknown => {
      switch (depth > 4 ? next(4) : next(6)) {
        case 0:
          return null;
        case 1:
          return next(2) === 0;
        case 2:
          return (next(2000) - 1000) / (next(7) + 1);
        case 3:
          return text();
        case 4:
          return Array.from({ length: next(4) }, () => value(depth + 1));
        default:
          return Object.fromEntries(Array.from({ length: next(4) }, () => [text(), value(depth + 1)]));
      }
    };
    for (let i = 0; i < 2_000; i++) {
      const payload = value(0);
      const result = serializePayload(payload);
      expect(result.ok && result.json).toBe(JSON.stringify(payload));
    }
  });

  describe('refuses what JSON.stringify would obey rather than store, without running any of it', () => {
    it('a non-enumerable own toJSON', () => {
      const payload = Object.defineProperty({ a: 1 }, 'toJSON', { value: () => undefined, enumerable: false });
      expect(refusal(payload)).toMatch(/^payload has its own toJSON method \(JSON would store what it returns instead/);
      expect(refusal({ inner: Object.defineProperty({}, 'toJSON', { value: () => ({ replaced: true }) }) })).toMatch(
        /^payload\.inner has its own toJSON/,
      );
    });

    it('a toJSON inherited from a prototype that looks plain', () => {
      const proto = Object.assign(Object.create(null), { constructor: Object, toJSON: () => ({ replaced: true }) });
      expect(refusal({ a: Object.create(proto) })).toMatch(/^payload\.a inherits a toJSON method/);
      expect(refusal(Object.setPrototypeOf([1], Object.assign([], { toJSON: () => 'swapped' })))).toMatch(
        /^payload must be a plain object or array/,
      );
    });

    it('another realm whose Object.prototype has a toJSON', () => {
      const payload = runInNewContext('Object.prototype.toJSON = function () { return { replaced: true } }; ({ a: 1, list: [1] })');
      expect(JSON.stringify(payload)).toBe('{"replaced":true}');
      expect(refusal(payload)).toMatch(/^payload inherits a toJSON method/);
      expect(refusal({ ok: [runInNewContext('Array.prototype.toJSON = () => 0; [1]')] })).toMatch(
        /^payload\.ok\[0\] inherits a toJSON method/,
      );
    });

    it('a Proxy, whatever its traps, and a revoked one; no trap runs', () => {
      let traps = 0;
      // The handler is a Proxy too: looking up any trap counts.
      const handler = new Proxy(
        {},
        {
          get: () => {
            traps++;
            return undefined;
          },
        },
      );
      expect(refusal({ a: new Proxy({ b: 1 }, handler) })).toMatch(/^payload\.a must not be a Proxy/);
      expect(refusal(new Proxy([1, 2], handler))).toMatch(/^payload must not be a Proxy/);
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      expect(refusal([proxy])).toMatch(/^payload\[0\] must not be a Proxy/);
      expect(refusal({ a: Object.create(new Proxy({}, handler)) })).toMatch(/^payload\.a must be a plain object or array/);
      expect(traps).toBe(0);
    });

    it('a getter, even one that returns the same value each time but turns a sibling into a Date', () => {
      let runs = 0;
      const payload = {
        at: '2026-12-02',
        get sneaky(): number {
          runs++;
          (payload as { at: unknown }).at = new Date(0);
          return 1;
        },
      };
      expect(refusal(payload)).toMatch(/^payload\.sneaky is an accessor property/);
      expect(refusal([1, Object.defineProperty([], 0, { get: () => 1, enumerable: true })])).toMatch(/^payload\[1\]\[0\] is an accessor/);
      expect(runs).toBe(0);
      expect(payload.at).toBe('2026-12-02');
    });

    it('a bigint deep inside, lone surrogates in keys and values, nesting past 256 levels', () => {
      expect(refusal({ a: [{ b: [1, { c: 10n }] }] })).toBe('payload.a[0].b[1].c must be a JSON value (got 10n (a bigint))');
      expect(refusal({ ok: { '\uD800x': 1 } })).toBe('payload.ok has a key that is not well-formed Unicode (got "\\ud800x")');
      let deep: unknown = 'leaf';
      for (let i = 0; i < 300_000; i++) deep = [deep];
      expect(refusal(deep)).toMatch(/ is nested deeper than 256 levels$/);
    });

    it('an array subclass, whose class JSON drops', () => {
      class Tags extends Array<string> {}
      expect(refusal({ tags: Tags.from(['a']) })).toBe(
        'payload.tags must be a plain object or array (got a Tags; convert it to plain JSON first)',
      );
    });
  });

  describe('takes the JSON.stringify fast path only where it writes what the checked writer writes', () => {
    it('sees symbol keys and extra array keys even when not enumerable, setter-only accessors and holes', () => {
      expect(refusal(Object.defineProperty({ a: 1 }, Symbol('hidden'), { value: 1, enumerable: false }))).toBe(
        'payload must not have symbol keys (JSON drops them)',
      );
      expect(refusal({ list: Object.defineProperty([1, 2], 'extra', { value: 1, enumerable: false }) })).toMatch(
        /^payload\.list must have only indexed elements/,
      );
      expect(refusal({ a: Object.defineProperty({}, 'x', { set: () => undefined, enumerable: true }) })).toMatch(
        /^payload\.a\.x is an accessor property/,
      );
      // biome-ignore lint/suspicious/noSparseArray: the hole is the point
      expect(refusal({ list: [1, , 3] })).toMatch(/^payload\.list has a hole at index 1/);
    });

    it("refuses a toJSON put on this realm's Object.prototype or Array.prototype, or under Array.prototype", () => {
      const swapped = { value: () => 'swapped', configurable: true, writable: true };
      const results: unknown[] = [];
      for (const proto of [Object.prototype, Array.prototype]) {
        Object.defineProperty(proto, 'toJSON', swapped);
        try {
          results.push(serializePayload({ list: [1] }));
        } finally {
          delete (proto as { toJSON?: unknown }).toJSON;
        }
      }
      Object.setPrototypeOf(Array.prototype, Object.create(Object.prototype, { toJSON: swapped }));
      try {
        results.push(serializePayload({ list: [1] }));
      } finally {
        Object.setPrototypeOf(Array.prototype, Object.prototype);
      }
      expect(results.map((result) => (result as { ok: boolean; error?: Error }).error?.message)).toEqual([
        expect.stringMatching(/^payload inherits a toJSON method/),
        expect.stringMatching(/^payload\.list inherits a toJSON method/),
        expect.stringMatching(/^payload\.list inherits a toJSON method/),
      ]);
      expect(serializePayload({ list: [1] })).toEqual({ ok: true, json: '{"list":[1]}', bytes: 12 });
    });

    it('never lets JSON.stringify build more than maxBytes: a shared subtree 2^40 times over is refused by size', () => {
      let shared: unknown = 'x'.repeat(10_000);
      for (let i = 0; i < 40; i++) shared = [shared, shared];
      expect(refusal({ shared })).toMatch(/^payload must be at most 16777216 bytes/);
      // Past the walk's upper bound (six bytes a code unit), the writer decides, and accepts what fits.
      const long = { s: 'a'.repeat(3 << 20) };
      expect(serializePayload(long)).toEqual({ ok: true, json: JSON.stringify(long), bytes: (3 << 20) + 8 });
    });

    it('refuses random payloads with one trap hidden at a random place, running none of it', () => {
      let state = 11;
      const next = (n: number): number => {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        return state % n;
      };
      let ran = 0;
      const handler = {
        get: () => {
          ran++;
          return undefined;
        },
      };
      const trapValues = (): unknown[] => [Number.NaN, 10n, '\uD800', new Date(0), new Proxy({}, handler), undefined, () => 1];
      const build = (depth: number, containers: object[]): unknown => {
        const kind = depth > 3 ? next(3) : next(5);
        if (kind === 0) return next(100);
        if (kind === 1) return `text ${next(1000)} é`;
        if (kind === 2) return next(2) === 0 ? null : true;
        const container = kind === 3 ? Array.from({ length: next(4) }, () => build(depth + 1, containers)) : {};
        if (kind === 4)
          for (let i = next(4); i > 0; i--) (container as Record<string, unknown>)[`k${next(50)}`] = build(depth + 1, containers);
        containers.push(container);
        return container;
      };
      for (let i = 0; i < 600; i++) {
        const containers: object[] = [];
        const root = [build(0, containers)];
        containers.push(root);
        const target = containers[next(containers.length)] as object;
        const trap = next(5);
        if (trap === 0) Object.defineProperty(target, Array.isArray(target) ? target.length : 'g', { get: () => ran++, enumerable: true });
        else if (trap === 1) Object.defineProperty(target, Array.isArray(target) ? 'extra' : Symbol('s'), { value: 1, enumerable: false });
        else if (trap === 2) Object.defineProperty(target, 'toJSON', { value: () => ran++, enumerable: next(2) === 0 });
        else if (trap === 3 && Array.isArray(target)) target.length += 1;
        else if (Array.isArray(target)) target.push(trapValues()[next(7)]);
        else (target as Record<string, unknown>).trap = trapValues()[next(7)];
        const result = serializePayload(root);
        expect(result.ok, `trap ${trap} in ${containers.indexOf(target)}`).toBe(false);
      }
      expect(ran).toBe(0);
    });
  });

  describe('counts UTF-8 bytes of the JSON text against maxBytes', () => {
    it('accepts exactly maxBytes and refuses one byte more, counting multi-byte characters and escapes', () => {
      const max = MIN_MAX_PAYLOAD_BYTES;
      const ascii = 'a'.repeat(max - 2);
      expect(serializePayload(ascii, { maxBytes: max })).toMatchObject({ ok: true, bytes: max });
      expect(refusal(`${ascii}b`, max)).toBe(
        `payload must be at most ${max} bytes as JSON text in UTF-8 (the store's maxPayloadBytes); this one is larger`,
      );
      // '€' is 3 bytes, '\n' is written as 2, '😀' is 4: each counted as JSON writes it.
      const mixed = { k: `${'€'.repeat(1000)}${'\n'.repeat(1000)}${'😀'.repeat(1000)}` };
      const bytes = Buffer.byteLength(JSON.stringify(mixed));
      expect(serializePayload(mixed, { maxBytes: bytes })).toMatchObject({ ok: true, bytes });
      expect(serializePayload(mixed, { maxBytes: bytes - 1 }).ok).toBe(false);
    });

    it('refuses a payload whose JSON could not even be a string, with the limit in the message, never a RangeError', () => {
      const huge = '\u0001'.repeat(1e8); // 600 M characters as JSON: JSON.stringify throws RangeError
      expect(refusal({ huge })).toBe(
        `payload must be at most ${DEFAULT_MAX_PAYLOAD_BYTES} bytes as JSON text in UTF-8 (the store's maxPayloadBytes); this one is larger`,
      );
      // Ten references to one 10 MB string: small in memory, 100 MB as JSON.
      const ten = Array.from({ length: 10 }, () => 'x'.repeat(1e7));
      expect(refusal(ten)).toMatch(/must be at most 16777216 bytes/);
      // With a larger maximum the string is escaped in slices, and counting stops at the limit.
      expect(refusal({ huge }, 64 * 1024 * 1024)).toMatch(/must be at most 67108864 bytes/);
    });

    it('escapes long strings in slices without splitting a surrogate pair', () => {
      const long = `${'a'.repeat((1 << 20) - 1)}😀${'\u0001'.repeat(5)}`;
      const result = serializePayload([long]);
      expect(result.ok && result.json === JSON.stringify([long])).toBe(true);
    });
  });

  it('checkMaxPayloadBytes accepts 2 MiB to the longest string and refuses the rest', () => {
    expect(checkMaxPayloadBytes(DEFAULT_MAX_PAYLOAD_BYTES)).toBeUndefined();
    expect(checkMaxPayloadBytes(MIN_MAX_PAYLOAD_BYTES)).toBeUndefined();
    expect(checkMaxPayloadBytes(MAX_MAX_PAYLOAD_BYTES)).toBeUndefined();
    for (const bad of [MIN_MAX_PAYLOAD_BYTES - 1, MAX_MAX_PAYLOAD_BYTES + 1, 1.5e7 + 0.5, '16777216', Number.NaN, null]) {
      expect(checkMaxPayloadBytes(bad)).toMatch(/^must be an integer from 2097152 \(2 MiB\) to 536870888 \(got /);
    }
  });
});

describe('prepareAppend', () => {
  it('checks the stream, then expect, then the payload, and returns the JSON text', () => {
    expect(prepareAppend('', { a: 1 }, 'x')).toMatchObject({ ok: false, error: { argument: 'stream' } });
    expect(prepareAppend('s', { a: 1n }, 'x')).toMatchObject({ ok: false, error: { argument: 'expect' } });
    expect(prepareAppend('s', { a: 1n }, 3)).toMatchObject({ ok: false, error: { argument: 'payload' } });
    expect(prepareAppend('s', { a: [1, -0] }, null)).toEqual({ ok: true, json: '{"a":[1,0]}' });
  });

  it('applies the store maxPayloadBytes', () => {
    const payload = 'x'.repeat(MIN_MAX_PAYLOAD_BYTES);
    expect(prepareAppend('s', payload, undefined).ok).toBe(true);
    expect(prepareAppend('s', payload, undefined, { maxPayloadBytes: MIN_MAX_PAYLOAD_BYTES })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/at most 2097152 bytes/) },
    });
  });
});
