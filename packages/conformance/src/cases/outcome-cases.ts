import { assert, assertEqual, describeError, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { appendOk, callAppend, readRejects } from '../store-calls.js';

const codes = ['UNEXPECTED_SEQ', 'INVALID_ARGUMENT', 'BACKEND', 'CLOSED'];

/** C8–C9: outcomes are values, failures are rejections with stable codes. */
export const outcomeCases = defineCases([
  {
    id: 'C8.1-conflicts-and-refusals-resolve',
    level: 'MUST',
    title: 'a conflict and an invalid argument resolve to { ok: false, error }; append does not reject for them',
    hint: 'return contract outcomes as values; reject only for failures of the backend',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'a');
      for (const [what, call] of [
        ['a conflict', () => store.append(name, 'b' as never, 0)],
        ['an invalid payload', () => store.append(name, Number.NaN as never)],
      ] as const) {
        let result: unknown;
        try {
          result = await call();
        } catch (error) {
          throw new ConformanceFailure(`append rejected for ${what} (${describeError(error)}); it must resolve to { ok: false, error }`);
        }
        assertEqual((result as { ok?: unknown })?.ok, false, `ok for ${what}`);
      }
    },
  },
  {
    id: 'C9.1-errors-carry-stable-codes',
    level: 'MUST',
    title: 'returned errors carry a message and a stable code; a conflict carries numeric expected and actual',
    hint: 'use the error classes of @hume/core, or give your errors the same code, expected and actual fields',
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'a');
      const conflict = await callAppend(store, name, 'b', 3);
      const invalid = await callAppend(store, '', 'b');
      for (const result of [conflict, invalid]) {
        assert(!result.ok, 'expected { ok: false }');
        const error: unknown = result.error;
        assert(typeof error === 'object' && error !== null, `error must be an object (got ${show(error)})`);
        const { code, message } = error as { code?: unknown; message?: unknown };
        assert(typeof message === 'string' && message.length > 0, `error.message must be a non-empty string (got ${show(message)})`);
        assert(typeof code === 'string' && codes.includes(code), `error.code must be one of ${codes.join(', ')} (got ${show(code)})`);
      }
      if (!conflict.ok && conflict.error.code === 'UNEXPECTED_SEQ') {
        assertEqual([conflict.error.expected, conflict.error.actual], [3, 1], '[expected, actual] of the conflict');
      }
    },
  },
  {
    id: 'C8.2-backend-failures-reject-with-code-backend',
    level: 'MUST',
    title:
      'when the backend fails, append (alone or with others at once) and the first next() of a read reject with code BACKEND and the driver error as cause',
    hint: 'wrap every driver call: catch the driver error and reject with new BackendError(message, driverError) from @hume/core',
    needs: ['fault'],
    async run({ store, stream, fault }) {
      const name = stream();
      await appendOk(store, name, 'before the fault');
      await fault();
      let rejection: unknown;
      try {
        const result = await store.append(name, 'after the fault' as never);
        throw new ConformanceFailure(`append resolved ${show(result)} after the backend failed; it must reject with code BACKEND`);
      } catch (error) {
        rejection = error;
      }
      assertEqual((rejection as { code?: unknown })?.code, 'BACKEND', `code of the append rejection (${describeError(rejection)})`);
      assert((rejection as { cause?: unknown }).cause !== undefined, 'the BACKEND error must carry the driver error as cause');
      const readError = await readRejects(store, name, 0, 'BACKEND', 'a read after the backend failed');
      assert((readError as { cause?: unknown }).cause !== undefined, 'the BACKEND error of the read must carry the driver error as cause');
      // Appends called at once, which a store may write together (a group commit), fail alike.
      const together = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.append(`${name}-${i % 3}`, i as never)));
      for (const [i, outcome] of together.entries()) {
        assert(
          outcome.status === 'rejected',
          `append ${i} of 8 called at once after the backend failed resolved ${show(outcome.status === 'fulfilled' ? outcome.value : undefined)}; it must reject with code BACKEND`,
        );
        assertEqual(
          (outcome.reason as { code?: unknown })?.code,
          'BACKEND',
          `code of append ${i} of 8 called at once (${describeError(outcome.reason)})`,
        );
      }
    },
  },
  {
    id: 'C8.3-calls-after-close-reject-with-closed',
    level: 'SHOULD',
    title: 'close() is idempotent, and append and reads after it reject with code CLOSED',
    hint: 'keep a closed flag and check it first in append and events; make a second close() a no-op',
    needs: ['close'],
    async run({ store, stream }) {
      const name = stream();
      await appendOk(store, name, 'before close');
      await store.close?.();
      await store.close?.();
      let rejection: unknown;
      try {
        const result = await store.append(name, 'after close' as never);
        throw new ConformanceFailure(`append resolved ${show(result)} after close(); it should reject with code CLOSED`);
      } catch (error) {
        rejection = error;
      }
      assertEqual(
        (rejection as { code?: unknown })?.code,
        'CLOSED',
        `code of the append rejection after close (${describeError(rejection)})`,
      );
      await readRejects(store, name, 0, 'CLOSED', 'a read after close()');
    },
  },
]);
