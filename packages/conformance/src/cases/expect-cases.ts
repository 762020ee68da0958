import { assertEqual } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendConflict, appendOk, contents } from '../store-calls.js';

/** C2.1–C2.4 and C3.1: each path of `expect`, and what a failed append leaves behind. */
export const expectCases = defineCases([
  {
    id: 'C2.1-undefined-expect-skips-the-check',
    level: 'MUST',
    title: 'expect undefined (or left out) appends whatever the last seq',
    hint: 'check that undefined is not treated as 0',
    async run({ store, stream }) {
      const name = stream();
      assertEqual(await appendOk(store, name, 1), 1, 'seq with expect left out');
      assertEqual(await appendOk(store, name, 2, undefined), 2, 'seq with expect undefined');
    },
  },
  {
    id: 'C2.1-null-expect-skips-the-check',
    level: 'MUST',
    title: 'expect null appends whatever the last seq',
    hint: 'check that null is not treated as 0 (a loose `== 0` or `Number(null)`)',
    async run({ store, stream }) {
      const name = stream();
      assertEqual(await appendOk(store, name, 1, null), 1, 'seq with expect null on an empty stream');
      assertEqual(await appendOk(store, name, 2, null), 2, 'seq with expect null on a stream with one event');
    },
  },
  {
    id: 'C2.2-matching-expect-appends',
    level: 'MUST',
    title: 'expect equal to the last seq appends at expect + 1',
    hint: 'check the comparison is against the last seq, not the count of a page or the next seq',
    async run({ store, stream }) {
      const name = stream();
      for (let last = 0; last < 5; last++) assertEqual(await appendOk(store, name, last, last), last + 1, `seq with expect ${last}`);
    },
  },
  {
    id: 'C2.3-expect-0-on-an-empty-stream-appends',
    level: 'MUST',
    title: 'expect 0 appends to an unknown stream at seq 1',
    hint: 'check that an unknown stream counts as last seq 0, and that 0 is not treated as "no expect" (a falsy check)',
    async run({ store, stream }) {
      assertEqual(await appendOk(store, stream(), 'first', 0), 1, 'seq with expect 0 on an unknown stream');
    },
  },
  {
    id: 'C2.3-expect-0-on-a-non-empty-stream-conflicts',
    level: 'MUST',
    title: 'expect 0 on a stream that has events conflicts with actual = its last seq',
    hint: 'check that expect 0 is checked at all: `if (expect)` skips it',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'a');
      await appendOk(store, name, 'b');
      await appendConflict(store, name, 'c', 0, 2);
    },
  },
  {
    id: 'C2.4-smaller-expect-conflicts',
    level: 'MUST',
    title: 'expect below the last seq conflicts with expected and actual set',
    hint: 'check the comparison is equality, not "at least"',
    async run({ store, stream }) {
      const name = stream();
      for (let i = 0; i < 3; i++) await appendOk(store, name, i);
      await appendConflict(store, name, 'late', 1, 3);
    },
  },
  {
    id: 'C2.4-larger-expect-conflicts',
    level: 'MUST',
    title: 'expect above the last seq conflicts with expected and actual set',
    hint: 'check the comparison is equality, not "at most"; a store must not fill the gap up to expect',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'only');
      await appendConflict(store, name, 'future', 5, 1);
      await appendConflict(store, stream('empty'), 'future', 1, 0);
    },
  },
  {
    id: 'C3.1-a-conflict-consumes-no-seq',
    level: 'MUST',
    title: 'after conflicts, the next successful append still gets last seq + 1 and nothing else was stored',
    hint: 'check the conflicting append rolls back its counter increment and its insert (a sequence or auto-increment burns numbers)',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'a');
      await appendConflict(store, name, 'x', 0, 1);
      await appendConflict(store, name, 'y', 7, 1);
      assertEqual(await appendOk(store, name, 'b'), 2, 'seq after two conflicts');
      assertEqual(await appendOk(store, name, 'c', 2), 3, 'seq with a matching expect after the conflicts');
      assertEqual(
        await contents(store, name),
        [
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
        ],
        'stored events',
      );
    },
  },
]);
