import type { AppendResult } from '@hume/core';
import { assert, assertEqual, describeError, show } from '../assertions.js';
import type { CaseContext } from '../conformance-case.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { appendOk, contents } from '../store-calls.js';

/**
 * Appends with the reply of its write lost after the commit. The event is
 * stored; the store may say so (it found out) or reject with BACKEND and
 * `outcomeUnknown: true`. Anything else is a lie about a stored event.
 */
async function appendWithLostReply(
  context: CaseContext,
  name: string,
  payload: string,
  expect?: number,
): Promise<AppendResult | undefined> {
  await context.dropAfterCommit();
  let result: AppendResult;
  try {
    result = await context.store.append(name, payload as never, expect);
  } catch (error) {
    assertEqual((error as { code?: unknown })?.code, 'BACKEND', `code of the append whose reply was lost (${describeError(error)})`);
    assert(
      (error as { outcomeUnknown?: unknown }).outcomeUnknown === true,
      `the append whose reply was lost after its commit rejected with outcomeUnknown ${show((error as { outcomeUnknown?: unknown }).outcomeUnknown)}: the event was stored, so it must say true (${describeError(error)})`,
    );
    return undefined;
  }
  if (!result.ok) {
    throw new ConformanceFailure(
      `the append ${expect === undefined ? 'without expect' : `with expect ${expect}`} whose reply was lost after its commit resolved with ${describeError(result.error)}: the event was stored, so this is a false conflict (was the write sent again?)`,
    );
  }
  return result;
}

/** C8.7 at its hardest: the write committed, the reply never came. */
export const commitFaultCases = defineCases([
  {
    id: 'C8.7-an-append-whose-reply-is-lost-after-commit-is-stored-once-and-never-a-conflict',
    level: 'MUST',
    title:
      'when the connection drops after the backend committed an append but before its reply, the event is stored once, and the append resolves with its seq or rejects with BACKEND and outcomeUnknown true, never a conflict',
    hint: 'check that a write whose connection was lost is never retried like a serialization failure (it may have committed), and that such a failure is reported as new BackendError(message, cause, { outcomeUnknown: true })',
    needs: ['dropAfterCommit'],
    async run(context) {
      const name = context.stream();
      await appendOk(context.store, name, 'first');
      const plain = await appendWithLostReply(context, name, 'without expect');
      if (plain?.ok) assertEqual(plain.seq, 2, 'seq of the append without expect whose reply was lost');
      assertEqual(
        await contents(context.store, name),
        [
          [1, 'first'],
          [2, 'without expect'],
        ],
        'the stream after the append without expect whose reply was lost',
      );
      const expecting = await appendWithLostReply(context, name, 'with expect 2', 2);
      if (expecting?.ok) assertEqual(expecting.seq, 3, 'seq of the append with expect 2 whose reply was lost');
      assertEqual(
        (await contents(context.store, name)).map(([, payload]) => payload),
        ['first', 'without expect', 'with expect 2'],
        'the stream after the append with expect 2 whose reply was lost',
      );
      assertEqual(await appendOk(context.store, name, 'after', 3), 4, 'seq of the next append, with expect 3');
    },
  },
]);
