import { assert, assertEqual, assertRun, describeError } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendOk, readAll } from '../store-calls.js';

/** C8.4: a failure that passes (a dropped connection) fails only the calls it hits, cleanly. */
export const faultCases = defineCases([
  {
    id: 'C8.4-interrupted-calls-fail-cleanly-and-the-store-recovers',
    level: 'MUST',
    title:
      'with appends and reads in flight when the connection drops, each either completes or rejects with BACKEND; an interrupted append happened once or not at all; then the store works',
    hint: 'check that every driver error is wrapped as BackendError, that a broken connection is discarded rather than reused, and that no append is retried after it may have committed',
    needs: ['interrupt'],
    async run(context) {
      const name = context.stream();
      for (let n = 0; n < 300; n++) await appendOk(context.store, name, { n: -1 - n });
      // Settled from the start, so that an early rejection is never left unhandled.
      const appending = Promise.allSettled(Array.from({ length: 30 }, (_, n) => context.store.append(name, { n } as never)));
      const reading = Promise.allSettled(Array.from({ length: 5 }, () => readAll(context.store, name)));
      await new Promise((resolve) => setImmediate(resolve));
      await context.interrupt();
      const appended = await appending;
      const readOutcomes = await reading;
      for (const outcome of appended) {
        if (outcome.status === 'fulfilled') assertEqual(outcome.value.ok, true, 'ok of an append that resolved');
        else {
          const code = (outcome.reason as { code?: unknown } | undefined)?.code;
          assertEqual(code, 'BACKEND', `code of an interrupted append (${describeError(outcome.reason)})`);
          assert(
            (outcome.reason as { cause?: unknown }).cause !== undefined,
            'an interrupted append must reject with the driver error as cause',
          );
        }
      }
      for (const outcome of readOutcomes) {
        if (outcome.status === 'rejected')
          assert(
            /\[BACKEND\]/.test(String((outcome.reason as Error).message)),
            `an interrupted read must reject with code BACKEND (got ${(outcome.reason as Error).message})`,
          );
      }
      const acknowledged = new Map<number, number>();
      appended.forEach((outcome, n) => {
        if (outcome.status === 'fulfilled' && outcome.value.ok) acknowledged.set(n, outcome.value.seq);
      });
      for (let n = 30; n < 35; n++) acknowledged.set(n, await appendOk(context.store, name, { n }));
      const events = await readAll(context.store, name);
      assertRun(events, 0, 'the stream after the interruption');
      for (let n = 0; n < 35; n++) {
        const copies = events.filter((event) => (event.payload as { n?: number }).n === n).map((event) => event.seq);
        const seq = acknowledged.get(n);
        if (seq !== undefined) assertEqual(copies, [seq], `seqs holding append #${n}, acknowledged as seq ${seq}`);
        else assert(copies.length <= 1, `an interrupted append is stored ${copies.length} times (at seqs ${copies.join(', ')})`);
      }
    },
  },
]);
