import { assert, assertEqual } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendInvalid, appendOk, contents, readAll } from '../store-calls.js';
import type { AnyEventStore } from '../target.js';

const MiB = 1024 * 1024;

/** Appends each payload to its own stream and requires it back as JSON would give it. */
async function roundTrips(store: AnyEventStore, stream: (label?: string) => string, payloads: Record<string, unknown>): Promise<void> {
  for (const [label, payload] of Object.entries(payloads)) {
    const name = stream(label);
    assertEqual(await appendOk(store, name, payload), 1, `seq of the ${label} payload`);
    const events = await readAll(store, name);
    assertEqual(events.length, 1, `number of events holding the ${label} payload`);
    assertEqual(events[0]?.payload, JSON.parse(JSON.stringify(payload)), `${label} payload read back`);
  }
}

function nested(depth: number): unknown {
  let value: unknown = { leaf: [1, 'two', null] };
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { level: i, child: value } : [i, value];
  return value;
}

/** C5: payloads round-trip exactly as JSON, and what JSON cannot carry is refused. */
export const payloadCases = defineCases([
  {
    id: 'C5.1-json-scalars-and-containers-round-trip',
    level: 'MUST',
    title: 'every kind of JSON value round-trips at the top level and nested',
    hint: 'check that the payload is stored as JSON text or an equivalent, not coerced (null vs "null", strings that look like numbers)',
    async run({ store, stream }) {
      await roundTrips(store, stream, {
        null: null,
        true: true,
        false: false,
        zero: 0,
        'empty-string': '',
        'numeric-string': '42',
        'null-string': 'null',
        'empty-array': [],
        'empty-object': {},
        mixed: { a: [1, { b: null, c: [true, false] }], d: 'x', e: {} },
        'odd-keys': JSON.parse('{"__proto__":{"x":1},"constructor":1,"":2,"1":3,"01":4,"a.b":5,"$ref":6}'),
        'deep-nesting': nested(250),
      });
    },
  },
  {
    id: 'C5.1-unicode-round-trips',
    level: 'MUST',
    title: 'strings and keys keep every well-formed character: accents, CJK, right-to-left, astral, U+0000, controls, U+2028',
    hint: 'check the column encoding (UTF-8, not latin1 or UCS-2), that U+0000 survives (PostgreSQL jsonb refuses \\u0000), and that escapes are not applied twice',
    async run({ store, stream }) {
      await roundTrips(store, stream, {
        accents: 'héllo wörld, e\u0301 vs é',
        cjk: '漢字かなカナ한국어',
        rtl: 'שלום مرحبا',
        astral: '😀𝄞🏳️‍🌈👩🏽‍💻',
        nul: 'a\u0000b\u0000',
        controls: '\u0001\u0008\t\n\r\u001f\u007f',
        separators: 'line\u2028para\u2029end',
        'unicode-keys': { ключ: 1, '😀': 2, '\u0000': 3, 'a\u0000b': 4 },
        'escapes-as-text': '\\u0000 \\n "quoted" \\\\',
      });
    },
  },
  {
    id: 'C5.1-numbers-round-trip',
    level: 'MUST',
    title: 'every finite double round-trips: safe-integer bounds, the largest and smallest doubles, fractions, big integers past 2^53',
    hint: 'check that numbers are not parsed as 32-bit integers, decimals of fixed scale, or bigints',
    async run({ store, stream }) {
      await roundTrips(store, stream, {
        numbers: [
          Number.MAX_SAFE_INTEGER,
          Number.MIN_SAFE_INTEGER,
          Number.MAX_VALUE,
          -Number.MAX_VALUE,
          Number.MIN_VALUE,
          Number.EPSILON,
          0.1,
          1 / 3,
          2 ** 60,
          1e21,
          -1e-7,
          123456789.12345679,
        ],
      });
    },
  },
  {
    id: 'C5.1-one-mebibyte-payloads-round-trip',
    level: 'MUST',
    title: 'payloads of 1 MiB round-trip: one long ASCII string, one long multi-byte string, many small objects',
    hint: 'check size limits of the column, the statement or the wire protocol, and that large values are not truncated',
    async run({ store, stream }) {
      await roundTrips(store, stream, {
        ascii: 'abcdefgh'.repeat(MiB / 8),
        'multi-byte': '€😀'.repeat(MiB / 7),
        'many-objects': Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `item-${i}`, on: i % 2 === 0 })),
      });
    },
  },
  {
    id: 'C5.2-negative-zero-is-stored-as-zero',
    level: 'MUST',
    title: '-0 reads back as 0, as JSON writes it',
    hint: 'check that the store serialises with JSON semantics rather than keeping the live object (structuredClone keeps -0)',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, { zero: -0, list: [-0] });
      const [event] = await readAll(store, name);
      const payload = event?.payload as { zero: number; list: number[] };
      assert(
        Object.is(payload.zero, 0) && Object.is(payload.list[0], 0),
        `-0 must read back as 0 (got ${Object.is(payload.zero, -0) ? '-0' : payload.zero})`,
      );
    },
  },
  ...refusedPayloadCases(),
]);

/** One case per class of value that JSON cannot carry (C5.3). */
function refusedPayloadCases() {
  class Point {
    x = 1;
  }
  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle.self = cycle;
  const sparse: unknown[] = [1, 2, 3];
  delete sparse[1];
  const refused: [string, () => unknown][] = [
    ['undefined', () => ({ a: 1, b: undefined })],
    ['undefined-in-array', () => [1, undefined]],
    ['undefined-at-top', () => undefined],
    ['function', () => ({ f: () => 1 })],
    ['symbol-value', () => ({ s: Symbol('s') })],
    ['symbol-key', () => ({ [Symbol('k')]: 1, a: 1 })],
    ['bigint', () => ({ n: 1n })],
    ['nan', () => ({ n: Number.NaN })],
    ['infinity', () => [Number.POSITIVE_INFINITY]],
    ['negative-infinity', () => ({ deep: { n: Number.NEGATIVE_INFINITY } })],
    ['date', () => ({ at: new Date(0) })],
    ['map', () => new Map([['a', 1]])],
    ['set', () => ({ s: new Set([1]) })],
    ['class-instance', () => ({ p: new Point() })],
    ['typed-array', () => ({ bytes: new Uint8Array([1, 2]) })],
    ['regexp', () => ({ r: /x/ })],
    ['cycle', () => cycle],
    ['sparse-array', () => ({ list: sparse })],
    ['lone-surrogate-value', () => ({ s: 'a\uD800b' })],
    ['lone-surrogate-key', () => ({ '\uDC00': 1 })],
    ['array-with-extra-property', () => ({ list: Object.assign([1, 2], { extra: true }) })],
    ['array-with-own-tojson', () => Object.assign([1], { toJSON: () => 'swapped' })],
    ['nesting-past-256-levels', () => nested(300)],
    [
      'getter-that-throws',
      () => ({
        ok: 1,
        get broken(): number {
          throw new Error('unreadable');
        },
      }),
    ],
  ];
  return refused.map(([label, make]) => ({
    id: `C5.3-refuses-${label}`,
    level: 'MUST' as const,
    title: `a payload holding ${label.replaceAll('-', ' ')} is refused with INVALID_ARGUMENT and nothing is stored`,
    hint: 'check and serialise the payload with prepareAppend or serializePayload from @hume/core: JSON.stringify silently drops or changes this value',
    async run({ store, stream }: { store: AnyEventStore; stream: (label?: string) => string }) {
      const name = stream(label);
      await appendInvalid(store, name, make(), undefined, 'payload');
      await appendInvalid(store, name, make(), 0, 'payload');
      assertEqual(await contents(store, name), [], 'events stored after the refused payloads');
      assertEqual(await appendOk(store, name, 'valid'), 1, 'seq of the first valid append after the refusals');
    },
  }));
}
