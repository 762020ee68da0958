import fc from 'fast-check';
import { assertEqual } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { holds } from '../fuzz-property.js';
import { appendOk, readAll } from '../store-calls.js';

/**
 * Strings that a reviver, a driver's type parser or a copy by assignment
 * tends to turn into something else: timestamps and dates, numbers in
 * every spelling, the names of JSON's literals, keys with a meaning in
 * JavaScript, and strings that hold JSON themselves.
 */
const typedLooking: fc.Arbitrary<string> = fc.oneof(
  fc.date({ min: new Date(-62_135_596_800_000), max: new Date(253_402_300_799_999), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc
    .date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true })
    .map((d) => d.toISOString().replace('T', ' ').slice(0, 19)),
  fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n })).map(String),
  fc.constantFrom(
    'true',
    'false',
    'null',
    'undefined',
    'NaN',
    'Infinity',
    '-0',
    '0',
    '007',
    '1e3',
    '0x10',
    ' 42',
    '42 ',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '$ref',
    '{}',
    '[]',
    '""',
    '\\u0000',
  ),
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
);

/** Builds an object from entries with own data properties, so that a `"__proto__"` key is a key, as JSON.parse makes it. */
function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const leaf = fc.oneof({ weight: 4, arbitrary: typedLooking }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 0 }) });
const payload: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { maxLength: 5 }),
    fc.array(fc.tuple(typedLooking, tie('node')), { maxLength: 5 }).map(objectOf),
  ),
})).node;

/** C5.1 under pressure: strings that look like other types come back as the same strings. */
export const typedStringCases = defineCases([
  {
    id: 'C5.1-typed-looking-strings-round-trip',
    level: 'MUST',
    title:
      'payloads made of strings that look typed (ISO timestamps, numeric strings, "true", "null", "__proto__", JSON text), as values and as keys, read back unchanged',
    hint: 'check for a JSON reviver or driver type parser that turns strings into Dates, numbers or objects, and for copies made by assignment (obj[key] = …), which drop a "__proto__" key',
    async run(context) {
      await holds(context, payload, async (value) => {
        const name = context.stream('typed');
        await appendOk(context.store, name, value);
        const [event] = await readAll(context.store, name);
        assertEqual(event?.payload, JSON.parse(JSON.stringify(value)), 'payload read back');
      });
    },
  },
]);
