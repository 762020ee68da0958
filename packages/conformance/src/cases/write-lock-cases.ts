import { assertEqual } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendOk, contents } from '../store-calls.js';

/** Long enough to outlast a lock wait of a few tens of milliseconds, short against the usual seconds. */
const HOLD_MS = 400;

/** C8.8: a lock held for a moment by someone else delays calls, it does not fail them. */
export const writeLockCases = defineCases([
  {
    id: 'C8.8-a-write-lock-held-briefly-elsewhere-delays-appends-without-failing-them',
    level: 'MUST',
    title: `while another connection holds the backend's write lock for ${HOLD_MS} ms, appends with and without expect wait and then succeed, and reads work`,
    hint: "check that the store sets its lock wait (SQLite's busy_timeout pragma) on every connection it uses, including one handed to it, rather than relying on the driver's default",
    needs: ['holdWriteLock'],
    async run(context) {
      const name = context.stream();
      await appendOk(context.store, name, 'before');
      await context.holdWriteLock(HOLD_MS);
      const [seq, read] = await Promise.all([appendOk(context.store, name, 'with expect 1', 1), contents(context.store, name)]);
      assertEqual(seq, 2, 'seq of the append with expect 1 made while the lock was held');
      assertEqual(read[0], [1, 'before'], 'the first event, read while the lock was held');
      await context.holdWriteLock(HOLD_MS);
      assertEqual(
        await appendOk(context.store, name, 'without expect'),
        3,
        'seq of the append without expect made while the lock was held',
      );
      await context.holdWriteLock(HOLD_MS);
      const other = context.stream('cold');
      assertEqual(
        await appendOk(context.store, other, 'first', 0),
        1,
        'seq of a first append with expect 0 to a stream this store never saw, made while the lock was held',
      );
      assertEqual(
        (await contents(context.store, name)).map(([, payload]) => payload),
        ['before', 'with expect 1', 'without expect'],
        'the stream after the locks',
      );
    },
  },
]);
