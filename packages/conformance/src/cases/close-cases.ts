import { assert, describeError } from '../assertions.js';
import { type CaseContext, defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import type { AnyEventStore } from '../target.js';
import { fill } from './fill.js';

const APPENDS = 50;
const READS = 30;
const READ_LENGTH = 100;

/** Reads a whole stream; resolves to how many events it had, or rejects with the store's own error. */
async function count(store: AnyEventStore, stream: string): Promise<number> {
  let events = 0;
  for await (const _ of store.events(stream)) events++;
  return events;
}

/**
 * Calls 50 appends and 30 reads, then close() after `waitMs` (0: in the same
 * tick, while a store that queues concurrent appends still holds them), and
 * checks that every call settles as C8.6 says and close() resolves after them.
 */
async function closeUnderLoad(context: CaseContext, waitMs: number): Promise<void> {
  const { store } = context;
  const long = context.stream('read');
  await fill(store, long, READ_LENGTH);
  const appendsSettled: boolean[] = [];
  const appends = Array.from({ length: APPENDS }, (_, n) => {
    appendsSettled.push(false);
    const call = store.append(context.stream(`close-${n}`), { n } as never);
    const settled = (): void => {
      appendsSettled[n] = true;
    };
    call.then(settled, settled);
    return call;
  });
  const reads = Array.from({ length: READS }, () => count(store, long));
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  let unsettledAtClose = -1;
  const closing = Promise.resolve(store.close?.()).then(() => {
    unsettledAtClose = appendsSettled.filter((settled) => !settled).length;
  });
  const calls: Promise<unknown>[] = [...appends, ...reads, closing];
  const outcomes: Array<PromiseSettledResult<unknown> | undefined> = calls.map(() => undefined);
  const budget = Math.max(1_000, Math.floor(context.timeoutMs / 4));
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.all(
      calls.map((call, index) =>
        call.then(
          (value) => {
            outcomes[index] = { status: 'fulfilled', value };
          },
          (reason: unknown) => {
            outcomes[index] = { status: 'rejected', reason };
          },
        ),
      ),
    ),
    new Promise((resolve) => {
      timer = setTimeout(resolve, budget);
    }),
  ]);
  clearTimeout(timer);
  const pendingAppends = outcomes.slice(0, APPENDS).filter((outcome) => outcome === undefined).length;
  const pendingReads = outcomes.slice(APPENDS, APPENDS + READS).filter((outcome) => outcome === undefined).length;
  const closeOutcome = outcomes[APPENDS + READS];
  if (pendingAppends + pendingReads > 0 || closeOutcome === undefined) {
    throw new ConformanceFailure(
      `${budget} ms after close(), ${pendingAppends} of ${APPENDS} appends and ${pendingReads} of ${READS} reads in flight had not settled, and close() had ${closeOutcome === undefined ? 'not resolved' : 'resolved'}`,
    );
  }
  if (closeOutcome.status === 'rejected') throw new ConformanceFailure(`close() rejected: ${describeError(closeOutcome.reason)}`);
  assert(unsettledAtClose === 0, `close() resolved while ${unsettledAtClose} of the appends started before it had not settled`);
  for (const [index, outcome] of outcomes.slice(0, APPENDS + READS).entries()) {
    const what = index < APPENDS ? `append #${index}` : `read #${index - APPENDS}`;
    if (outcome?.status === 'rejected') {
      const code = (outcome.reason as { code?: unknown } | null)?.code;
      assert(
        code === 'CLOSED' || code === 'BACKEND',
        `${what}, in flight at close(), must settle or reject with code CLOSED or BACKEND (got ${describeError(outcome.reason)})`,
      );
    } else if (index < APPENDS) {
      const result = outcome?.value as { ok?: unknown; seq?: unknown };
      assert(
        result?.ok === true && result.seq === 1,
        `${what} to a fresh stream resolved ${JSON.stringify(result)}, not { ok: true, seq: 1 }`,
      );
    } else {
      assert(outcome?.value === READ_LENGTH, `${what} ended after ${String(outcome?.value)} of ${READ_LENGTH} events without an error`);
    }
  }
}

/** C8.6: close() under load. */
export const closeCases = defineCases([
  {
    id: 'C8.6-close-under-load-settles-every-call',
    level: 'MUST',
    title:
      'close() with 50 appends on 50 streams and 30 reads in flight: every call settles within the timeout (stored, complete, or rejected with CLOSED or BACKEND), every append before close() resolves, and close() resolves',
    hint: "check that close() waits for the calls in flight, or rejects those that have not reached the backend, before it ends its connections: pg-pool's end(), for one, forgets the requests still waiting for a connection",
    needs: ['close'],
    run: (context) => closeUnderLoad(context, 5),
  },
  {
    id: 'C8.6-close-in-the-same-tick-as-appends-settles-them',
    level: 'MUST',
    title:
      'close() called in the same tick as 50 appends and 30 reads, before any of them could reach the backend: every call settles as above and close() resolves once the appends have',
    hint: 'check what close() does with appends still queued for a group commit or waiting for a connection: each must be committed or rejected with CLOSED, never left pending',
    needs: ['close'],
    run: (context) => closeUnderLoad(context, 0),
  },
]);
