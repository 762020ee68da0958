import { assertEqual } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendOk, contents } from '../store-calls.js';

/** C1.1–C1.2: seqs start at 1 and grow by one, per stream. */
export const appendCases = defineCases([
  {
    id: 'C1.1-first-append-gets-seq-1',
    level: 'MUST',
    title: 'the first append to a stream gets seq 1 and the next ones 2, 3, 4',
    hint: 'check that the last seq of an unknown stream counts as 0 and that seqs are per stream, not global',
    async run({ store, stream }) {
      const name = stream();
      const seqs = [];
      for (let i = 0; i < 4; i++) seqs.push(await appendOk(store, name, { n: i }));
      assertEqual(seqs, [1, 2, 3, 4], 'seqs returned by four appends');
      assertEqual(
        await contents(store, name),
        [
          [1, { n: 0 }],
          [2, { n: 1 }],
          [3, { n: 2 }],
          [4, { n: 3 }],
        ],
        'stored events',
      );
    },
  },
  {
    id: 'C1.2-streams-are-independent',
    level: 'MUST',
    title: 'appends to one stream do not change the seqs or events of another',
    hint: 'check that the seq counter and the read are keyed by the whole stream name: not a prefix, not a name cut to a column width',
    async run({ store, stream }) {
      const a = stream('a');
      const b = stream('b');
      const prefix = a.slice(0, -1);
      const long = `${a}-${'x'.repeat(900)}`;
      assertEqual(await appendOk(store, a, 'a1'), 1, 'seq of the first event of stream a');
      assertEqual(await appendOk(store, b, 'b1'), 1, 'seq of the first event of stream b');
      assertEqual(await appendOk(store, a, 'a2'), 2, 'seq of the second event of stream a');
      assertEqual(await appendOk(store, prefix, 'p1'), 1, 'seq of the first event of a stream whose name is a prefix of a');
      assertEqual(
        await contents(store, a),
        [
          [1, 'a1'],
          [2, 'a2'],
        ],
        'stream a',
      );
      assertEqual(await contents(store, b), [[1, 'b1']], 'stream b');
      assertEqual(await contents(store, prefix), [[1, 'p1']], 'the prefix stream');
      assertEqual(await appendOk(store, `${long}1`, 'l1'), 1, 'seq of the first event of a long stream name');
      assertEqual(
        await appendOk(store, `${long}2`, 'l2'),
        1,
        'seq of the first event of a long name that differs only in its last character',
      );
      assertEqual(await contents(store, `${long}1`), [[1, 'l1']], 'the first long stream');
    },
  },
]);
