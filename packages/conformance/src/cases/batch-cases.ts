import { assert, assertEqual, assertRun, describeError, show } from '../assertions.js';
import { appendManyInvalid, appendManyOk, callAppendMany } from '../batch-calls.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { appendOk, contents, readAll } from '../store-calls.js';

const KiB = 1024;

/** A batch of `size` payloads tagged with the batch and the position in it. */
function batch(tag: number, size: number): { b: number; i: number }[] {
  return Array.from({ length: size }, (_, i) => ({ b: tag, i }));
}

/** C11: atomic, contiguous batches; an optional capability, run only on stores that have `appendMany`. */
export const batchCases = defineCases([
  {
    id: 'C11.1-a-batch-is-stored-at-contiguous-seqs-after-the-last',
    level: 'MUST',
    title:
      'appendMany stores its payloads, in order, at last + 1 … last + n and resolves { ok: true, first, seq }; seq chains into the next expect',
    hint: 'check that the batch takes the stream last seq once and numbers its events from it, and that seq is the last event of the batch, not the first',
    needs: ['appendMany'],
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'single-1');
      await appendOk(store, name, 'single-2');
      const payloads = [{ type: 'a' }, [1, 'two', null], 'three', 4, null];
      assertEqual(await appendManyOk(store, name, payloads), { first: 3, seq: 7 }, 'first and seq of a batch of 5 after 2 events');
      assertEqual(await appendManyOk(store, name, ['x', 'y'], 7), { first: 8, seq: 9 }, 'first and seq of a batch chained on seq 7');
      assertEqual(await appendManyOk(store, name, ['alone']), { first: 10, seq: 10 }, 'first and seq of a batch of one');
      assertEqual(await appendOk(store, name, 'after', 10), 11, 'seq of an append chained on the batch');
      assertEqual(
        await contents(store, name),
        [
          [1, 'single-1'],
          [2, 'single-2'],
          ...payloads.map((payload, i): [number, unknown] => [3 + i, payload]),
          [8, 'x'],
          [9, 'y'],
          [10, 'alone'],
          [11, 'after'],
        ],
        'the stream after the batches',
      );
      const other = stream('fresh');
      assertEqual(await appendManyOk(store, other, batch(1, 3), 0), { first: 1, seq: 3 }, 'a batch on an empty stream with expect 0');
    },
  },
  {
    id: 'C11.2-expect-means-what-it-means-for-append',
    level: 'MUST',
    title:
      'a batch with expect equal to the last seq is stored; with a smaller or larger expect it conflicts with expected and actual, and nothing of it is stored',
    hint: 'check the last seq and insert the batch in one transaction, and report the conflict as append does',
    needs: ['appendMany'],
    async run({ store, stream }) {
      const name = stream();
      assertEqual(await appendManyOk(store, name, batch(1, 3), 0), { first: 1, seq: 3 }, 'a batch with expect 0 on an empty stream');
      for (const expect of [0, 2, 4, 1000]) {
        const result = await callAppendMany(store, name, batch(2, 4), expect);
        assert(
          !result.ok,
          `a batch with expect ${expect} was stored at ${result.ok ? `${result.first}…${result.seq}` : ''}, but the last seq was 3`,
        );
        assertEqual(result.error?.code, 'UNEXPECTED_SEQ', `error.code of a batch with expect ${expect}`);
        if (result.error.code !== 'UNEXPECTED_SEQ') continue;
        assertEqual([result.error.expected, result.error.actual], [expect, 3], `[expected, actual] of a batch with expect ${expect}`);
      }
      assertEqual(await appendManyOk(store, name, batch(3, 2), null), { first: 4, seq: 5 }, 'a batch with expect null');
      assertEqual(await appendManyOk(store, name, batch(4, 2), 5), { first: 6, seq: 7 }, 'a batch with expect 5');
      assertRun(await readAll(store, name), 0, 'the stream after conflicting batches');
      assertEqual((await readAll(store, name)).length, 7, 'events stored (conflicting batches store nothing)');
    },
  },
  {
    id: 'C11.3-bad-batches-are-refused-whole',
    level: 'MUST',
    title:
      'an empty batch, a batch that is not an array, and a batch with one bad payload anywhere (a Date, a toJSON, a payload too large for a string) are refused with INVALID_ARGUMENT naming payloads and the index; nothing of them is stored',
    hint: 'check every payload (prepareAppendMany of @hume/core) before writing any of them: a batch that stores payloads one by one and stops at the bad one has half-committed',
    needs: ['appendMany'],
    async run({ store, stream }) {
      const name = stream();
      await appendManyInvalid(store, name, [], undefined, 'payloads');
      for (const notArray of ['abc', { 0: 1, length: 1 }, null, undefined])
        await appendManyInvalid(store, name, notArray, undefined, 'payloads');
      const bad: [index: number, payload: unknown][] = [
        [2, { at: new Date(0) }],
        [3, Object.defineProperty({ a: 1 }, 'toJSON', { value: () => ({ replaced: true }) })],
        [1, { n: Number.NaN }],
        [4, { huge: '\u0001'.repeat(1e8) }],
      ];
      for (const [index, payload] of bad) {
        const payloads: unknown[] = batch(9, 5);
        payloads[index] = payload;
        for (const expect of [undefined, 0]) {
          const message = await appendManyInvalid(store, name, payloads, expect, 'payloads');
          assert(message.includes(`[${index}]`), `the refusal must name the bad payload's index [${index}] (got ${show(message)})`);
        }
      }
      await appendManyInvalid(store, '', batch(1, 2), undefined, 'stream');
      await appendManyInvalid(store, name, batch(1, 2), -1, 'expect');
      assertEqual(await contents(store, name), [], 'events stored after the refused batches');
      assertEqual(await appendManyOk(store, name, batch(1, 2)), { first: 1, seq: 2 }, 'the first valid batch after the refusals');
    },
  },
  {
    id: 'C11.4-racing-batches-never-interleave',
    level: 'MUST',
    title:
      '60 batches of 1 to 25 events and 60 single appends in flight at once on one stream: all succeed, every batch is one contiguous run holding its payloads in order, the stream is gap-free',
    hint: 'check that a batch is written in one transaction that holds the stream (its counter row, its write lock) from its first event to its last, and that a group commit keeps each batch whole',
    needs: ['appendMany'],
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'first');
      const sizes = Array.from({ length: 60 }, (_, b) => 1 + ((b * 7) % 25));
      const batches = sizes.map((size, b) => callAppendMany(store, name, batch(b, size)));
      const singles = Array.from({ length: 60 }, (_, n) => appendOk(store, name, { single: n }));
      const results = await Promise.all(batches);
      const singleSeqs = await Promise.all(singles);
      const total = 1 + sizes.reduce((sum, size) => sum + size, 0) + singles.length;
      const events = await readAll(store, name);
      assertRun(events, 0, 'the stream after racing batches');
      assertEqual(events.length, total, 'events stored');
      results.forEach((result, b) => {
        if (!result.ok) throw new ConformanceFailure(`batch #${b} failed: ${describeError(result.error)}`);
        assertEqual(result.seq - result.first + 1, sizes[b], `seq - first + 1 of batch #${b}`);
        const run = events.slice(result.first - 1, result.seq).map((event) => event.payload);
        assertEqual(run, batch(b, sizes[b] as number), `events ${result.first}…${result.seq}, acknowledged for batch #${b}`);
      });
      for (const [n, seq] of singleSeqs.entries()) {
        assertEqual(events[seq - 1]?.payload, { single: n }, `event ${seq}, acknowledged for single append #${n}`);
      }
    },
  },
  {
    id: 'C11.4-racing-batches-with-one-expect-have-one-winner',
    level: 'MUST',
    title:
      '20 batches in flight at once with expect 0 on one stream: exactly one is stored; every other conflicts with actual = the winner seq',
    hint: 'check that the expect check and the insert of the whole batch happen under one lock or in one statement',
    needs: ['appendMany'],
    async run({ store, stream }) {
      const name = stream();
      const results = await Promise.all(Array.from({ length: 20 }, (_, b) => callAppendMany(store, name, batch(b, 3 + (b % 4)), 0)));
      const winners = results.flatMap((result, b) => (result.ok ? [b] : []));
      assertEqual(winners.length, 1, 'batches stored with expect 0');
      const winner = winners[0] as number;
      const size = 3 + (winner % 4);
      for (const result of results) {
        if (result.ok) continue;
        assertEqual(
          [result.error.code, (result.error as { actual?: unknown }).actual],
          ['UNEXPECTED_SEQ', size],
          '[code, actual] of a losing batch',
        );
      }
      assertEqual(
        (await readAll(store, name)).map((event) => event.payload),
        batch(winner, size),
        'the stream holds the winning batch only',
      );
    },
  },
  {
    id: 'C11.5-reads-see-a-batch-whole-or-not-at-all',
    level: 'MUST',
    title:
      'reads running while 40 batches of 5 to 44 events land one after another (from 0 and from random seqs) each end at a batch boundary; a read after a batch was acknowledged sees all of it',
    hint: 'check that a batch is committed at once (one transaction), and that each page of a read is one query on committed data',
    needs: ['appendMany'],
    async run({ store, stream, seed }) {
      const name = stream();
      const boundaries = new Set<number>([0]);
      let writing = true;
      const reads: { from: number; last: number }[] = [];
      const reader = async (offset: number): Promise<void> => {
        for (let i = 0; writing; i++) {
          const max = Math.max(...boundaries);
          const from = (seed + offset * 31 + i * 17) % 3 === 0 ? 0 : (seed + offset + i * 13) % (max + 1);
          const events = await readAll(store, name, from);
          assertRun(events, from, `a read from ${from} while batches land`);
          reads.push({ from, last: events.at(-1)?.seq ?? from });
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      // A reader's failure is caught at once (never left unhandled while the writer is still
      // awaiting), stops the writer, and is what the case reports.
      let readFailure: { error: unknown } | undefined;
      const readers = [1, 2, 3].map((offset) =>
        reader(offset).catch((error: unknown) => {
          readFailure ??= { error };
          writing = false;
        }),
      );
      try {
        for (let b = 0; b < 40 && readFailure === undefined; b++) {
          const { seq } = await appendManyOk(store, name, batch(b, 5 + ((b * 11) % 40)));
          boundaries.add(seq);
          assertEqual((await readAll(store, name, seq - 1)).length, 1, `the last event of batch #${b}, read after it was acknowledged`);
        }
      } finally {
        writing = false;
        await Promise.all(readers);
      }
      if (readFailure) throw readFailure.error;
      for (const { from, last } of reads) {
        assert(
          last === from || boundaries.has(last),
          `a read from ${from} ended at seq ${last}, inside a batch (batch ends: ${show([...boundaries].sort((a, b) => a - b))})`,
        );
      }
    },
  },
  {
    id: 'C11.6-batches-of-10000-events-and-2-mib-are-stored',
    level: 'MUST',
    title: 'a batch of 10,000 events, and a batch of 4 payloads holding 2 MiB of JSON text together, are stored whole',
    hint: 'check the store maximum batch (at least 10,000 events and its maximum payload size in total), and limits of the statement (parameters, message size)',
    needs: ['appendMany'],
    async run({ store, stream }) {
      const name = stream();
      const many = Array.from({ length: 10_000 }, (_, i) => ({ i }));
      assertEqual(await appendManyOk(store, name, many), { first: 1, seq: 10_000 }, 'first and seq of a batch of 10,000');
      const events = await readAll(store, name);
      assertRun(events, 0, 'the stream after a batch of 10,000');
      assertEqual(events.length, 10_000, 'events stored by a batch of 10,000');
      assertEqual(events[9_999]?.payload, { i: 9_999 }, 'the last event of the batch of 10,000');
      const large = stream('large');
      // Four JSON texts of 512 KiB - 6 bytes each: 2 MiB - 24 bytes together.
      const quarter = Array.from({ length: 4 }, (_, i) => `${i}${'q'.repeat(512 * KiB - 9)}`);
      assertEqual(await appendManyOk(store, large, quarter), { first: 1, seq: 4 }, 'first and seq of a 2 MiB batch');
      assertEqual(
        (await readAll(store, large)).map((event) => event.payload),
        quarter,
        'the 2 MiB batch read back',
      );
    },
  },
  {
    id: 'C11.6-a-batch-past-the-maximum-is-refused-or-stored-whole',
    level: 'MUST',
    title:
      'a batch of 20,001 events is either stored whole or refused with INVALID_ARGUMENT naming the limit, never half, never a rejection',
    hint: 'check the batch size against the store maximum before writing anything (prepareAppendMany of @hume/core does)',
    needs: ['appendMany'],
    async run({ store, stream }) {
      const name = stream();
      const payloads = Array.from({ length: 20_001 }, (_, i) => i);
      const result = await callAppendMany(store, name, payloads);
      const events = await readAll(store, name);
      if (result.ok) {
        assertEqual([result.first, result.seq], [1, 20_001], '[first, seq] of a batch of 20,001');
        assertEqual(events.length, 20_001, 'events stored by a batch of 20,001 that was acknowledged');
        return;
      }
      assertEqual(result.error.code, 'INVALID_ARGUMENT', 'error.code of a refused batch of 20,001');
      assert(/\d/.test(result.error.message), `the refusal must name the limit (got ${show(result.error.message)})`);
      assertEqual(events.length, 0, 'events stored by a refused batch');
    },
  },
  {
    id: 'C11.7-backend-failures-reject-with-code-backend',
    level: 'MUST',
    title: 'once the backend fails, appendMany rejects with code BACKEND and the driver error as cause',
    hint: 'check that appendMany wraps driver errors in BackendError like append does',
    needs: ['appendMany', 'fault'],
    async run({ store, stream, fault }) {
      const name = stream();
      await appendManyOk(store, name, batch(1, 2));
      await fault();
      const outcome = await (store.appendMany as NonNullable<typeof store.appendMany>)(name, batch(2, 2) as never[]).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      assert('error' in outcome, `appendMany resolved ${show('result' in outcome ? outcome.result : undefined)} after the backend failed`);
      const { code, cause } = outcome.error as { code?: unknown; cause?: unknown };
      assertEqual(code, 'BACKEND', `code of appendMany after a backend failure (${describeError(outcome.error)})`);
      assert(cause !== undefined, 'appendMany after a backend failure must reject with the driver error as cause');
    },
  },
]);
