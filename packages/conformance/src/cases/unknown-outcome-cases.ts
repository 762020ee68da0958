import { assert, assertEqual, describeError, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { appendOk, contents } from '../store-calls.js';

/** C8.7: a failed append says whether its event may have been stored. */
export const unknownOutcomeCases = defineCases([
  {
    id: 'C8.7-a-failed-append-says-whether-it-may-be-stored',
    level: 'MUST',
    title:
      'an append rejected with BACKEND carries a boolean outcomeUnknown, and one that says false (certainly not stored) left nothing in the stream',
    hint: 'check that every append failure is built as new BackendError(message, cause, { outcomeUnknown }) with true whenever the statement may have reached the backend, and that nothing is written before a failure reported as not stored',
    needs: ['fault', 'reopen'],
    async run(context) {
      const name = context.stream();
      await appendOk(context.store, name, 'before the fault');
      await context.fault();
      const verdicts: boolean[] = [];
      for (const [what, expect] of [
        ['without expect', undefined],
        ['with expect 1', 1],
      ] as const) {
        let rejection: unknown;
        try {
          const result = await context.store.append(name, `after the fault, ${what}` as never, expect);
          throw new ConformanceFailure(
            `append ${what} resolved ${show(result)} after the backend failed; it must reject with code BACKEND`,
          );
        } catch (error) {
          if (error instanceof ConformanceFailure) throw error;
          rejection = error;
        }
        assertEqual((rejection as { code?: unknown })?.code, 'BACKEND', `code of the append ${what} (${describeError(rejection)})`);
        const { outcomeUnknown } = rejection as { outcomeUnknown?: unknown };
        assert(
          typeof outcomeUnknown === 'boolean',
          `a BACKEND rejection of an append must say whether it may be stored in a boolean outcomeUnknown (got ${show(outcomeUnknown)})`,
        );
        verdicts.push(outcomeUnknown);
      }
      const other = await context.reopen();
      const stored = (await contents(other, name)).map(([, payload]) => payload);
      assertEqual(stored[0], 'before the fault', 'the first event of the stream');
      for (const [index, what] of ['without expect', 'with expect 1'].entries()) {
        const copies = stored.filter((payload) => payload === `after the fault, ${what}`).length;
        if (verdicts[index] === false) assertEqual(copies, 0, `copies stored of the append ${what}, which said outcomeUnknown: false`);
        else assert(copies <= 1, `the append ${what} is stored ${copies} times`);
      }
    },
  },
]);
