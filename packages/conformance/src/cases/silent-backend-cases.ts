import { assert, assertEqual, describeError, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { appendOk, contents } from '../store-calls.js';

/** How a call made while the backend was silent ended, and when. */
type Settled = { what: string; ms: number } & ({ resolved: unknown } | { rejected: unknown });

/** Time past the target's callTimeoutMs allowed for timers and a busy machine. */
function slack(callTimeoutMs: number): number {
  return Math.max(2_000, callTimeoutMs / 2);
}

/** C8.9: a backend that stops answering fails calls within the store's timeouts, never leaves them pending. */
export const silentBackendCases = defineCases([
  {
    id: 'C8.9-calls-to-a-backend-that-stops-answering-settle-within-the-store-timeouts',
    level: 'MUST',
    title:
      "while the backend stops answering (stall hook), appends with and without expect, a batch and a read each reject with BACKEND within the target's callTimeoutMs; an append that says outcomeUnknown false is not stored; once the backend answers again the store works",
    hint: 'make every round trip time out (a query timer of your own, the driver’s connection timeout), reject with new BackendError(message, cause, { outcomeUnknown: true }) when it strikes after the statement was sent, and discard that connection: its reply may still arrive',
    needs: ['stall', 'callTimeoutMs'],
    async run(context) {
      const { store } = context;
      const callTimeoutMs = context.callTimeoutMs as number;
      const name = context.stream();
      const batch = context.stream('batch');
      assertEqual(await appendOk(store, name, 'before'), 1, 'seq of the append before the backend went silent');
      const resume = await context.stall();
      const started = performance.now();
      const settled: Settled[] = [];
      const track = (what: string, call: () => Promise<unknown>): Promise<void> =>
        Promise.resolve()
          .then(call)
          .then(
            (value) => void settled.push({ what, ms: performance.now() - started, resolved: value }),
            (error: unknown) => void settled.push({ what, ms: performance.now() - started, rejected: error }),
          );
      const payloads = { 'append without expect': 'silent, without expect', 'append with expect 1': 'silent, with expect 1' };
      const calls = [
        track('append without expect', () => store.append(name, payloads['append without expect'] as never)),
        track('append with expect 1', () => store.append(name, payloads['append with expect 1'] as never, 1)),
        track('read', async () => {
          const seqs: number[] = [];
          for await (const event of store.events(name)) seqs.push(event.seq);
          return seqs;
        }),
        ...(store.appendMany ? [track('appendMany', async () => store.appendMany?.(batch, ['silent 1', 'silent 2'] as never[]))] : []),
      ];
      const deadline = callTimeoutMs + slack(callTimeoutMs);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(calls), new Promise((resolve) => (timer = setTimeout(resolve, deadline)))]);
      clearTimeout(timer);
      if (settled.length < calls.length) {
        await resume();
        const pending = ['append without expect', 'append with expect 1', 'read', 'appendMany'].filter(
          (what) => (what !== 'appendMany' || store.appendMany) && !settled.some((call) => call.what === what),
        );
        throw new ConformanceFailure(
          `${pending.join(', ')} still pending ${Math.round(deadline)} ms after the backend stopped answering; the target says its stores give up within ${callTimeoutMs} ms (callTimeoutMs), and a call must never wait for ever`,
        );
      }
      const stated = new Map<string, boolean>();
      for (const call of settled) {
        if ('resolved' in call) {
          throw new ConformanceFailure(
            `the ${call.what} made while the backend was silent resolved ${show(call.resolved)} after ${Math.round(call.ms)} ms; it must reject with BACKEND (did the stall hook silence the store's backend?)`,
          );
        }
        const error = call.rejected as { code?: unknown; cause?: unknown; outcomeUnknown?: unknown } | undefined;
        assertEqual(error?.code, 'BACKEND', `code of the ${call.what} made while the backend was silent (${describeError(call.rejected)})`);
        assert(
          error?.cause !== undefined,
          `the ${call.what} made while the backend was silent must reject with the driver's error as cause`,
        );
        if (call.what !== 'read') {
          assert(
            typeof error?.outcomeUnknown === 'boolean',
            `the ${call.what} made while the backend was silent must say whether it may be stored in a boolean outcomeUnknown (got ${show(error?.outcomeUnknown)})`,
          );
          stated.set(call.what, error?.outcomeUnknown as boolean);
        }
      }
      await resume();
      const stored = (await contents(store, name)).map(([, payload]) => payload);
      assertEqual(stored[0], 'before', 'the first event of the stream, read once the backend answered again');
      for (const [what, payload] of Object.entries(payloads)) {
        const copies = stored.filter((each) => each === payload).length;
        if (stated.get(what) === false) {
          assertEqual(copies, 0, `copies stored of the ${what} made while the backend was silent, which said outcomeUnknown: false`);
        } else assert(copies <= 1, `the ${what} made while the backend was silent is stored ${copies} times`);
      }
      assertEqual(stored.length, new Set(stored).size, 'events of the stream are each stored once');
      if (store.appendMany) {
        const batchStored = (await contents(store, batch)).length;
        if (stated.get('appendMany') === false) assertEqual(batchStored, 0, 'events stored of the batch, which said outcomeUnknown: false');
        else
          assert(
            batchStored === 0 || batchStored === 2,
            `the batch of 2 made while the backend was silent has ${batchStored} events stored: all or none`,
          );
      }
      const next = stored.length + 1;
      assertEqual(
        await appendOk(store, name, 'after', stored.length),
        next,
        'seq of the append with expect made once the backend answered again',
      );
    },
  },
]);
