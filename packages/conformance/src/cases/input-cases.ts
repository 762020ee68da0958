import { assertEqual, assertNamesArgument } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendInvalid, appendOk, contents, readRejects } from '../store-calls.js';

const badSeqs: [string, unknown][] = [
  ['a numeric string', '1'],
  ['a fraction', 1.5],
  ['NaN', Number.NaN],
  ['a negative number', -1],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['2 ** 53', 2 ** 53],
  ['a boolean', true],
  ['an object', {}],
  ['a bigint', 1n],
];

/** C7: bad arguments are refused, named, and leave nothing behind. */
export const inputCases = defineCases([
  {
    id: 'C7.1-bad-streams-are-refused',
    level: 'MUST',
    title: 'append refuses a stream that is empty, not a string, not well-formed, has U+0000 or is over 1024 UTF-8 bytes',
    hint: 'check the stream with checkStream from @hume/core; count UTF-8 bytes, not UTF-16 code units',
    async run({ store, stream }) {
      const base = stream();
      const bad: unknown[] = ['', undefined, null, 42, {}, ['s'], `${base}\uD800`, `${base}\u0000tail`, '€'.repeat(342), 'a'.repeat(1025)];
      for (const name of bad) await appendInvalid(store, name, { n: 1 }, undefined, 'stream');
      // A store that cut the name at U+0000 or at a byte limit would have written here.
      assertEqual(await contents(store, base), [], 'events stored under the valid prefix of a refused name');
    },
  },
  {
    id: 'C7.1-stream-names-at-the-limits-are-accepted',
    level: 'MUST',
    title:
      'append accepts stream names of exactly 1024 UTF-8 bytes (ASCII, 3-byte and 4-byte characters) and of any well-formed characters',
    hint: 'check that the byte limit is inclusive and that the column or key type holds 1024 bytes of multi-byte text',
    async run({ store, stream }) {
      const base = stream();
      const padded = (filler: string, bytes: number): string => {
        let name = base;
        while (Buffer.byteLength(name + filler) <= bytes) name += filler;
        return name;
      };
      const names = [
        padded('a', 1024),
        `${padded('€', 1022)}${'x'.repeat(1024 - Buffer.byteLength(padded('€', 1022)))}`,
        `${padded('😀', 1024 - 3)}${'y'.repeat(1024 - Buffer.byteLength(padded('😀', 1024 - 3)))}`,
        `${base}-😀 ключ/流:#?%\t'"`,
      ];
      for (const name of names) {
        assertEqual(await appendOk(store, name, 'ok'), 1, `seq of an append to a ${Buffer.byteLength(name)}-byte stream name`);
        assertEqual(await contents(store, name), [[1, 'ok']], `events of the ${Buffer.byteLength(name)}-byte stream name`);
      }
      assertEqual(
        names.slice(0, 3).map((name) => Buffer.byteLength(name)),
        [1024, 1024, 1024],
        'byte lengths of the names at the limit',
      );
    },
  },
  {
    id: 'C7.2-bad-expects-are-refused',
    level: 'MUST',
    title: `append refuses an expect that is ${badSeqs.map(([label]) => label).join(', ')}, without coercion`,
    hint: 'check expect with checkExpect from @hume/core; Number(x), parseInt and loose comparisons coerce',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'first');
      for (const [, expect] of badSeqs) await appendInvalid(store, name, { n: 1 }, expect, 'expect');
      assertEqual(await contents(store, name), [[1, 'first']], 'events after the refused appends');
    },
  },
  {
    id: 'C7.3-bad-froms-are-refused',
    level: 'MUST',
    title: 'events refuses a from that is null or not a non-negative safe integer, without coercion',
    hint: 'check from with checkEvents from @hume/core inside the async generator',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'first');
      for (const [label, from] of [...badSeqs, ['null', null] as [string, unknown]]) {
        const error = await readRejects(store, name, from, 'INVALID_ARGUMENT', `from ${label}`);
        assertNamesArgument(error, 'from');
      }
    },
  },
  {
    id: 'C7.4-refusals-name-the-argument-and-store-nothing',
    level: 'MUST',
    title: 'a refused append resolves to INVALID_ARGUMENT with a message naming the argument, and the stream and its seq are untouched',
    hint: 'check the arguments before any write, and return the error as { ok: false, error } rather than throwing it',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'first');
      await appendInvalid(store, name, () => 1, 1, 'payload');
      await appendInvalid(store, name, 'x', 1.5, 'expect');
      await appendInvalid(store, '', 'x', 1, 'stream');
      assertEqual(await appendOk(store, name, 'second', 1), 2, 'seq of the next valid append');
    },
  },
  {
    id: 'C7.5-events-never-throws-synchronously',
    level: 'MUST',
    title: 'events with a bad stream returns an iterable whose first next() rejects with INVALID_ARGUMENT naming stream',
    hint: 'make events an async generator (or return one) so that the argument check runs on the first next()',
    async run({ store }) {
      for (const bad of ['', 7, undefined, 'a\u0000b', 'x\uDFFF']) {
        const error = await readRejects(store, bad, 0, 'INVALID_ARGUMENT', `stream ${JSON.stringify(String(bad))}`);
        assertNamesArgument(error, 'stream');
      }
    },
  },
]);
