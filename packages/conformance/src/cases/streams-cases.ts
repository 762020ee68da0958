import type { StreamInfo, StreamsOptions } from '@hume/core';
import { assert, assertEqual, assertNamesArgument, describeError, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { appendOk, callAppend } from '../store-calls.js';
import type { AnyEventStore } from '../target.js';

/** Lists with `options`, checking the shape of each entry; at most `limit` entries are taken, so a listing that never ends fails. */
async function list(store: AnyEventStore, options: StreamsOptions, limit = 100_000): Promise<StreamInfo[]> {
  const listing = (store.streams as (options?: StreamsOptions) => AsyncIterable<StreamInfo>).call(store, options);
  const infos: StreamInfo[] = [];
  try {
    for await (const info of listing) {
      assert(
        typeof info === 'object' && info !== null && typeof info.stream === 'string' && Number.isSafeInteger(info.last),
        `streams must yield { stream, last } objects (got ${show(info)})`,
      );
      infos.push({ stream: info.stream, last: info.last });
      assert(infos.length <= limit, `streams(${show(options)}) yielded more than the ${limit} streams there are`);
    }
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    throw new ConformanceFailure(`streams(${show(options)}) failed: ${describeError(error)}`);
  }
  return infos;
}

/** UTF-8 byte order, which is code-point order: the order clause C12.2 asks for. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** C12: the optional stream listing. Each case runs only on stores that have `streams()`. */
export const streamsCases = defineCases([
  {
    id: 'C12.1-lists-every-stream-with-its-last-seq',
    level: 'MUST',
    title:
      'streams() lists each stream that has events once, with its last seq, names that sort before letters and digits too; refused appends list nothing',
    hint: 'check that the listing reads the last seq (max seq, or the counter) and that a conflict or a refused payload creates no stream row',
    needs: ['streams'],
    async run({ store, stream }) {
      const base = stream('list');
      const lengths: [string, number][] = [
        [`${base}/a`, 3],
        [`${base}/b`, 1],
        [`${base}/c`, 5],
      ];
      for (const [name, length] of lengths) for (let i = 0; i < length; i++) await appendOk(store, name, { i });
      const conflict = await callAppend(store, `${base}/conflict`, { i: 0 }, 5);
      assert(!conflict.ok, 'append with expect 5 to an unknown stream must conflict');
      const refused = await callAppend(store, `${base}/refused`, { n: Number.NaN });
      assert(!refused.ok, 'append of NaN must be refused');
      assertEqual(
        await list(store, { prefix: base }),
        lengths.map(([name, last]) => ({ stream: name, last })),
        `streams({ prefix: ${show(base)} })`,
      );
      await appendOk(store, `${base}/b`, { i: 1 });
      assertEqual((await list(store, { prefix: `${base}/b` }))[0], { stream: `${base}/b`, last: 2 }, 'the listing after one more append');
      // Names that sort before the kit's own, and before letters and digits: a listing must not start past a default bound.
      for (const lead of [' ', '!', '0', 'A']) {
        const name = `${lead}${base}`;
        await appendOk(store, name, { lead });
        assertEqual(await list(store, { prefix: name }), [{ stream: name, last: 1 }], `streams({ prefix: ${show(name)} })`);
      }
    },
  },
  {
    id: 'C12.2-streams-are-ordered-by-code-point',
    level: 'MUST',
    title: 'streams() yields names in ascending code-point order (UTF-8 byte order), astral characters after U+E000–U+FFFF',
    hint: 'check the collation: compare bytes (SQLite BINARY, PostgreSQL COLLATE "C"), not a locale; in JavaScript, `<` on strings compares UTF-16 code units, which puts U+1F600 before U+FFFD',
    needs: ['streams'],
    async run({ store, stream }) {
      const base = stream('order');
      const suffixes = ['b', 'a', 'ab', 'A', '\u00e9', '\uFFFD', '\u{1F600}', '\uE000', 'a/b', '~', ' '];
      for (const suffix of suffixes) await appendOk(store, `${base}/${suffix}`, { suffix });
      const expected = suffixes.map((suffix) => `${base}/${suffix}`).sort(byUtf8);
      assertEqual(
        (await list(store, { prefix: `${base}/` })).map((info) => info.stream),
        expected,
        'names listed, in order',
      );
    },
  },
  {
    id: 'C12.3-prefix-after-and-limit-select-a-range',
    level: 'MUST',
    title: 'prefix keeps the names that start with it, after starts past a name (exclusive), limit caps the count; listings resume exactly',
    hint: 'check that after is exclusive (>, not >=), that a prefix is a range from the prefix to the next name after it, and that limit counts streams, not pages',
    needs: ['streams'],
    async run({ store, stream }) {
      const base = stream('range');
      const names = ['x/1', 'x/2', 'x/3', 'x0', 'y/1', 'x'].map((suffix) => `${base}${suffix}`);
      for (const name of names) await appendOk(store, name, {});
      const listed = async (options: StreamsOptions): Promise<string[]> => (await list(store, options)).map((info) => info.stream);
      assertEqual(await listed({ prefix: `${base}x/` }), [`${base}x/1`, `${base}x/2`, `${base}x/3`], 'prefix x/');
      assertEqual(await listed({ prefix: `${base}x/`, after: `${base}x/1` }), [`${base}x/2`, `${base}x/3`], 'prefix x/ after x/1');
      assertEqual(
        await listed({ prefix: `${base}x/`, after: `${base}x/10` }),
        [`${base}x/2`, `${base}x/3`],
        'after a name that does not exist',
      );
      assertEqual(await listed({ prefix: base, limit: 2 }), [`${base}x`, `${base}x/1`], 'limit 2');
      assertEqual(await listed({ prefix: base, limit: 0 }), [], 'limit 0');
      assertEqual(await listed({ prefix: `${base}x/`, after: base }), [`${base}x/1`, `${base}x/2`, `${base}x/3`], 'after below the prefix');
      assertEqual(await listed({ prefix: `${base}z` }), [], 'a prefix nothing starts with');
      const resumed: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await listed(after === undefined ? { prefix: base, limit: 2 } : { prefix: base, after, limit: 2 });
        resumed.push(...page);
        after = page.at(-1);
        if (page.length < 2) break;
      }
      assertEqual(resumed, [...names].sort(byUtf8), 'a listing resumed two at a time');
    },
  },
  {
    id: 'C12.3-long-listings-are-complete',
    level: 'MUST',
    title: 'a listing of more streams than any page size yields each of them once, in order, and can be broken off',
    hint: 'check the keyset of the next page (after the last name yielded) and the stop condition (a short page)',
    needs: ['streams'],
    async run({ store, stream, longStream }) {
      const base = stream('long');
      const count = Math.min(longStream, 1100);
      const names = Array.from({ length: count }, (_, i) => `${base}/${i}`);
      await Promise.all(names.map((name) => appendOk(store, name, {})));
      const listed = (await list(store, { prefix: `${base}/` }, count)).map((info) => info.stream);
      assertEqual(listed.length, count, 'number of streams listed');
      assertEqual(listed, [...names].sort(byUtf8), 'names listed');
      for (let round = 0; round < 20; round++) {
        const listing = (store.streams as (options?: StreamsOptions) => AsyncIterable<StreamInfo>).call(store, { prefix: `${base}/` });
        for await (const _ of listing) break;
      }
      await appendOk(store, `${base}/0`, {}, 1);
    },
  },
  {
    id: 'C12.4-bad-options-reject-the-first-next',
    level: 'MUST',
    title: 'streams() with bad options never throws synchronously; its first next() rejects with INVALID_ARGUMENT naming the option',
    hint: 'check the options with checkStreamsOptions from @hume/core inside the iterator (listStreamsPaged does), not before returning it',
    needs: ['streams'],
    async run({ store }) {
      const bad: [unknown, string][] = [
        [{ limit: -1 }, 'limit'],
        [{ limit: 1.5 }, 'limit'],
        [{ prefix: 42 }, 'prefix'],
        [{ after: '\uD800' }, 'after'],
        [null, 'options'],
      ];
      for (const [options, name] of bad) {
        let iterator: AsyncIterator<StreamInfo>;
        try {
          iterator = (store.streams as (options?: unknown) => AsyncIterable<StreamInfo>).call(store, options)[Symbol.asyncIterator]();
        } catch (error) {
          throw new ConformanceFailure(`streams(${show(options)}) threw synchronously: ${describeError(error)}`);
        }
        let rejection: unknown;
        try {
          const result = await iterator.next();
          throw new ConformanceFailure(`streams(${show(options)}).next() resolved (${show(result)}) instead of rejecting`);
        } catch (error) {
          if (error instanceof ConformanceFailure) throw error;
          rejection = error;
        }
        assertEqual((rejection as { code?: unknown }).code, 'INVALID_ARGUMENT', `code of the rejection of streams(${show(options)})`);
        assertNamesArgument(rejection, name);
      }
    },
  },
]);
