import fc from 'fast-check';
import { assertEqual, assertNamesArgument, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { holds } from '../fuzz-property.js';
import { appendInvalid, appendOk, callAppend, contents, readAll, readRejects } from '../store-calls.js';

/** Values JSON cannot carry faithfully (C5.3), each made fresh. */
const unfaithful = fc.constantFrom<[string, () => unknown]>(
  ['undefined', () => undefined],
  ['NaN', () => Number.NaN],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['a function', () => () => 1],
  ['a symbol', () => Symbol('s')],
  ['a bigint', () => 7n],
  ['a Date', () => new Date(0)],
  ['a Map', () => new Map()],
  ['a lone surrogate', () => 'x\uD83D'],
  ['a sparse array', () => new Array(2)],
);

/** Puts `bad` somewhere inside `value`: as the value itself, an object member or an array element, at any depth. */
function plant(value: unknown, bad: unknown, where: number[]): unknown {
  const [step, ...rest] = where;
  if (step === undefined) return bad;
  if (Array.isArray(value) && value.length > 0) {
    const copy = [...value];
    copy[step % copy.length] = plant(copy[step % copy.length], bad, rest);
    return copy;
  }
  if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
    const keys = Object.keys(value);
    const key = keys[step % keys.length] as string;
    return { ...value, [key]: plant((value as Record<string, unknown>)[key], bad, rest) };
  }
  return step % 2 === 0 ? [bad] : { planted: bad };
}

const seqLike = fc.oneof(
  fc.nat(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, undefined, Number.NaN, -0, 2 ** 53, Number.MAX_SAFE_INTEGER, '1', '', true),
  fc.bigInt(),
  fc.string(),
  fc.array(fc.nat(), { maxLength: 1 }),
);

function isValidSeq(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** C5.1, C5.3, C7: generated inputs across the valid and the invalid domain. */
export const fuzzCases = defineCases([
  {
    id: 'C5.1-fuzzed-payloads-round-trip',
    level: 'MUST',
    title: 'generated JSON values (any code point, any nesting the generator reaches) read back as JSON would give them',
    hint: 'check the smallest failing payload: its characters, its numbers, its key names',
    async run(context) {
      await holds(context, fc.jsonValue({ maxDepth: 5, stringUnit: 'binary' }), async (payload) => {
        const name = context.stream('fuzz');
        await appendOk(context.store, name, payload);
        const [event] = await readAll(context.store, name);
        assertEqual(event?.payload, JSON.parse(JSON.stringify(payload)), 'payload read back');
      });
    },
  },
  {
    id: 'C5.3-fuzzed-unfaithful-payloads-are-refused',
    level: 'MUST',
    title: 'a generated JSON value with one value JSON cannot carry planted anywhere inside is refused, and nothing is stored',
    hint: 'check the payload with checkPayload from @hume/core, which walks every member and element',
    async run(context) {
      const arbitrary = fc.tuple(fc.jsonValue({ maxDepth: 3 }), unfaithful, fc.array(fc.nat(), { maxLength: 4 }));
      await holds(context, arbitrary, async ([json, [, make], where]) => {
        const name = context.stream('fuzz');
        await appendInvalid(context.store, name, plant(json, make(), where), undefined, 'payload');
        assertEqual(await contents(context.store, name), [], 'events stored after the refusal');
      });
    },
  },
  {
    id: 'C7.1-fuzzed-stream-names',
    level: 'MUST',
    title:
      'generated stream names are accepted when non-empty, well-formed, without U+0000 and at most 1024 UTF-8 bytes, and refused otherwise',
    hint: 'check the stream with checkStream from @hume/core; compare UTF-8 bytes, and store the name as given (no trimming, no case folding, no normalisation)',
    async run(context) {
      // Characters that stores tend to mangle: composed and decomposed accents, Hangul, ligatures, spaces, case, joiners.
      const tricky = fc.constantFrom('é', 'e\u0301', '한', 'ﬁ', 'Å', ' ', '\t', 'A', 'a', 'ß', '\u200d', '\u202e', '😀', '/', '%', "'");
      const word = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: tricky, maxLength: 8 }));
      const suffix = fc.oneof(
        fc.array(word, { maxLength: 5 }).map((words) => words.join('')),
        fc.string({ unit: 'binary-ascii', minLength: 900, maxLength: 1100 }),
      );
      const lone = fc.constantFrom('', '\uD800', '\uDFFF', '\u0000');
      await holds(context, fc.tuple(suffix, lone), async ([tail, odd]) => {
        const name = `${context.stream('fuzz')}-${tail}${odd}`;
        const valid = name.isWellFormed() && !name.includes('\0') && Buffer.byteLength(name) <= 1024;
        if (!valid) return appendInvalid(context.store, name, { ok: 1 }, undefined, 'stream');
        assertEqual(await appendOk(context.store, name, { ok: 1 }), 1, `seq of the first append to a ${Buffer.byteLength(name)}-byte name`);
        assertEqual(await contents(context.store, name), [[1, { ok: 1 }]], 'events under the generated name');
        const decomposed = name.normalize('NFD');
        if (decomposed !== name && Buffer.byteLength(decomposed) <= 1024) {
          assertEqual(await contents(context.store, decomposed), [], 'events under the NFD form of the name (names are compared as given)');
        }
      });
    },
  },
  {
    id: 'C7.2-fuzzed-expect-and-from',
    level: 'MUST',
    title: 'generated expect and from values are accepted exactly when null/undefined (expect only) or non-negative safe integers',
    hint: 'check expect and from with checkExpect and checkFrom from @hume/core; nothing may be coerced',
    async run(context) {
      await holds(context, fc.tuple(seqLike, seqLike), async ([expect, from]) => {
        const name = context.stream('fuzz');
        await appendOk(context.store, name, 'first');
        const result = await callAppend(context.store, name, 'second', expect);
        if (expect === null || expect === undefined || isValidSeq(expect)) {
          const conflicted = !result.ok && result.error.code === 'UNEXPECTED_SEQ';
          assertEqual(result.ok || conflicted, true, `append with the valid expect ${show(expect)} succeeds or conflicts`);
        } else {
          assertEqual(result.ok ? 'stored' : result.error.code, 'INVALID_ARGUMENT', `append with expect ${show(expect)}`);
          assertNamesArgument(result.ok ? undefined : result.error, 'expect');
        }
        if (from === undefined || isValidSeq(from)) await readAll(context.store, name, from as number | undefined);
        else assertNamesArgument(await readRejects(context.store, name, from, 'INVALID_ARGUMENT', `from ${show(from)}`), 'from');
      });
    },
  },
]);
