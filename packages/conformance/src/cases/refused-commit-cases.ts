import { assert, assertEqual, describeError, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { appendOk, contents } from '../store-calls.js';
import type { AnyEventStore } from '../target.js';

/** Streams appended to at once: half with `expect`, half without. */
const STREAMS = 8;

/** Resolves to the rejection of `call`, or fails the case if it resolved. */
async function rejection(call: Promise<unknown>, what: string): Promise<unknown> {
  try {
    const result = await call;
    throw new ConformanceFailure(`${what}, while the backend refused writes, resolved ${show(result)} instead of rejecting with BACKEND`);
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    return error;
  }
}

/**
 * Requires a rejection to be a BACKEND error with the driver's error as cause (C8.2) that says
 * nothing was stored (C8.7): the backend reported the write rolled back, so the store knows.
 */
function assertRefused(error: unknown, what: string): void {
  assertEqual((error as { code?: unknown } | undefined)?.code, 'BACKEND', `code of ${what} (${describeError(error)})`);
  assert((error as { cause?: unknown }).cause !== undefined, `${what} must reject with the driver's error as cause`);
  const { outcomeUnknown } = error as { outcomeUnknown?: unknown };
  assert(
    outcomeUnknown === false,
    `${what} rejected with outcomeUnknown ${show(outcomeUnknown)}, but the backend reported the write rolled back: the store knows nothing was stored, so it must say false (C8.7)`,
  );
}

/**
 * Appends to every stream at once, the first half with `expect` = their last
 * seq, plus a batch of 3 to `batch` when the store has `appendMany`; resolves
 * to each call's outcome as the store gives it.
 */
function appendToAll(
  store: AnyEventStore,
  streams: readonly string[],
  lasts: readonly number[],
  batch: string,
  round: string,
): Promise<unknown>[] {
  const appends = streams.map((name, s) => store.append(name, { round, s } as never, s < STREAMS / 2 ? lasts[s] : undefined));
  const batches = store.appendMany ? [store.appendMany(batch, [{ round }, { round }, { round }] as never[])] : [];
  return [...appends, ...batches];
}

/** C2.6: a commit the backend refuses fails each of its appends, stores none, and leaves the store working. */
export const refusedCommitCases = defineCases([
  {
    id: 'C2.6-a-refused-commit-rejects-each-of-its-appends-and-the-store-recovers',
    level: 'MUST',
    title:
      'while the backend refuses writes (refuseWrites hook), a lone append and 8 appends in flight at once (4 with expect) each reject with BACKEND, the driver error as cause and outcomeUnknown false, nothing is stored and no seq consumed; once writes are allowed again, the same appends succeed at the next seqs',
    hint: 'check what a failed write does to the transaction it ran in: roll it back before the connection is used again (a store that leaves it open fails every later append, or commits the next group together with the failed one), and reject every append the shared commit carried',
    needs: ['refuseWrites'],
    async run(context) {
      const { store } = context;
      const streams = Array.from({ length: STREAMS }, (_, s) => context.stream(`refused${s}`));
      // The first half have one event already, so that their appends carry a real expect.
      const lasts = streams.map((_, s) => (s < STREAMS / 2 ? 1 : 0));
      for (const [s, name] of streams.entries()) if (lasts[s] === 1) await appendOk(store, name, { before: s });
      const batch = context.stream('refused-batch');
      const what = (index: number): string =>
        index < STREAMS ? `append #${index} of ${STREAMS} in flight at once` : 'the batch in flight with them';
      const allow = await context.refuseWrites();
      try {
        assertRefused(await rejection(store.append(streams[0] as string, { lone: true } as never, 1), 'a lone append'), 'a lone append');
        const outcomes = await Promise.allSettled(appendToAll(store, streams, lasts, batch, 'refused'));
        for (const [index, outcome] of outcomes.entries()) {
          if (outcome.status === 'fulfilled') {
            throw new ConformanceFailure(
              `${what(index)}, while the backend refused writes, resolved ${show(outcome.value)} instead of rejecting with BACKEND`,
            );
          }
          assertRefused(outcome.reason, what(index));
        }
      } finally {
        await allow();
      }
      for (const [s, name] of streams.entries()) {
        assertEqual(await contents(store, name), lasts[s] === 1 ? [[1, { before: s }]] : [], `stream #${s} after the refused appends`);
      }
      assertEqual(await contents(store, batch), [], 'the batch stream after the refused batch');
      const results = await Promise.all(
        appendToAll(store, streams, lasts, batch, 'allowed').map((call, index) =>
          call.catch((error: unknown) => {
            throw new ConformanceFailure(`${what(index)}, once writes were allowed again, rejected: ${describeError(error)}`);
          }),
        ),
      );
      for (const [index, result] of results.entries()) {
        const { ok, first, seq } = result as { ok?: unknown; first?: unknown; seq?: unknown };
        const [wantFirst, wantSeq] = index < STREAMS ? [undefined, (lasts[index] as number) + 1] : [1, 3];
        assert(
          ok === true && seq === wantSeq && (wantFirst === undefined || first === wantFirst),
          `${what(index)}, once writes were allowed again, resolved ${show(result)}: expected ok with seq ${wantSeq}${wantFirst === undefined ? '' : ` and first ${wantFirst}`}`,
        );
      }
      assertEqual(await appendOk(store, streams[0] as string, { after: true }, 2), 3, 'seq of a lone append afterwards');
    },
  },
]);
