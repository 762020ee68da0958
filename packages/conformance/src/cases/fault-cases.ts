import type { Event } from '@hume/core';
import { assert, assertEqual, assertRun, describeError, show } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { ConformanceFailure } from '../conformance-failure.js';
import { appendOk, readAll } from '../store-calls.js';

const APPENDERS = 3;
const EXPECTERS = 2;
const READERS = 2;
/** Events in the shared stream before the interruption, so that a read takes a while and a truncated one shows. */
const PREFILL = 200;
/** Calls that must complete after the interruption before the workers stop: the store recovered. */
const AFTERWARDS = 30;
/** The connection drops this many times, each while an append with expect is in flight. */
const INTERRUPTIONS = 4;

type Payload = { w: string; n: number };

/** Requires a rejection to be a BACKEND error with the driver's error as cause (C8.2, C8.4). */
function assertBackend(error: unknown, what: string): void {
  if (error instanceof ConformanceFailure) throw error;
  assertEqual((error as { code?: unknown } | undefined)?.code, 'BACKEND', `code of ${what} (${describeError(error)})`);
  assert((error as { cause?: unknown }).cause !== undefined, `${what} must reject with the driver's error as cause`);
}

/** Reads a whole stream; rejections come back as they are (readAll would turn them into failures). */
async function read(store: { events(stream: string): AsyncIterable<Event<unknown>> }, stream: string): Promise<Event<unknown>[]> {
  const events: Event<unknown>[] = [];
  for await (const event of store.events(stream)) events.push(event);
  return events;
}

const key = ({ w, n }: Payload): string => `${w}#${n}`;

/** C8.4: a failure that passes (a dropped connection) fails only the calls it hits, cleanly. */
export const faultCases = defineCases([
  {
    id: 'C8.4-interrupted-calls-fail-cleanly-and-the-store-recovers',
    level: 'MUST',
    title:
      'with appends (with and without expect) and reads running through a connection dropped four times, each call completes or rejects with BACKEND; a read that completes holds every event acknowledged before it began; no append is reported as a false conflict, or stored twice; then the store works',
    hint: 'check that every driver error is wrapped as BackendError, that a read never ends early on a lost connection (retry the page or reject), that a lost connection is never read as a conflict, and that no append is retried after it may have committed',
    needs: ['interrupt'],
    async run(context) {
      const { store } = context;
      const shared = context.stream('shared');
      const own = Array.from({ length: EXPECTERS }, (_, i) => context.stream(`expect-${i}`));
      const acknowledged = new Map<number, Payload>();
      for (let n = 0; n < PREFILL; n++) {
        const payload = { w: 'prefill', n };
        acknowledged.set(await appendOk(store, shared, payload), payload);
      }
      let ackedTop = PREFILL;
      let stop = false;
      let inFlight = 0;
      let expectsInFlight = 0;
      let interrupted = false;
      let completedAfter = 0;
      const attempted: Payload[] = [];
      const track = async <T>(call: () => Promise<T>): Promise<T> => {
        inFlight++;
        try {
          return await call();
        } finally {
          inFlight--;
          if (interrupted) completedAfter++;
        }
      };
      const pause = () => new Promise((resolve) => setImmediate(resolve));

      const appender = async (w: string) => {
        for (let n = 0; !stop; n++) {
          const payload = { w, n };
          attempted.push(payload);
          try {
            const result = await track(() => store.append(shared, payload as never));
            assert(
              result.ok,
              `an append without expect resolved ${show(result)} while the connection dropped: a lost connection is not a conflict`,
            );
            assert(!acknowledged.has(result.seq), `seq ${result.seq} was acknowledged twice`);
            acknowledged.set(result.seq, payload);
            ackedTop = Math.max(ackedTop, result.seq);
          } catch (error) {
            assertBackend(error, 'an interrupted append');
          }
          await pause();
        }
      };

      // One writer per stream: it knows the last seq, so any conflict it gets is false, but for one. An append
      // of its own rejected with an unknown outcome may commit after the read that followed the rejection (a
      // distributed backend, whose worker finishes a transaction its coordinator's connection dropped): a
      // conflict whose next seq holds exactly that append's payload is true.
      const learnLast = async (stream: string): Promise<Event<unknown>[]> => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await read(store, stream);
          } catch (readError) {
            assertBackend(readError, 'a read after an interrupted append');
            if (attempt >= 3) throw readError;
          }
        }
      };
      const expecter = async (w: string, stream: string) => {
        let last = 0;
        /** This writer's append whose outcome was unknown and not seen stored yet. */
        let unknown: Payload | undefined;
        for (let n = 0; !stop; n++) {
          const payload = { w, n };
          attempted.push(payload);
          try {
            expectsInFlight++;
            const result = await track(() => store.append(stream, payload as never, last)).finally(() => expectsInFlight--);
            if (!result.ok) {
              const events = unknown === undefined ? [] : await learnLast(stream);
              const next = events[last]?.payload as Payload | undefined;
              if (unknown === undefined || next === undefined || key(next) !== key(unknown)) {
                throw new ConformanceFailure(
                  `an append with expect ${last} to a stream with one writer, whose last seq was ${last}, resolved with ${describeError(result.error)} while the connection dropped: a lost connection must reject with BACKEND, never report a conflict`,
                );
              }
              last = events.length;
              unknown = undefined;
              await pause();
              continue;
            }
            assertEqual(result.seq, last + 1, `seq of an append with expect ${last}`);
            last = result.seq;
            unknown = undefined;
          } catch (error) {
            assertBackend(error, 'an interrupted append with expect');
            // The outcome is unknown: learn the stream's last seq before the next expect.
            const events = await learnLast(stream);
            last = events.length;
            const stored = events.at(-1)?.payload as Payload | undefined;
            unknown =
              (error as { outcomeUnknown?: unknown }).outcomeUnknown === true && !(stored && key(stored) === key(payload))
                ? payload
                : undefined;
          }
          await pause();
        }
      };

      const reader = async () => {
        while (!stop) {
          const top = ackedTop;
          let events: Event<unknown>[];
          try {
            events = await track(() => read(store, shared));
          } catch (error) {
            assertBackend(error, 'an interrupted read');
            await pause();
            continue;
          }
          assertRun(events, 0, 'a read that completed while the connection dropped');
          assert(
            events.length >= top,
            `a read that completed while the connection dropped yielded ${events.length} events, but ${top} were acknowledged before it began: a read cut short by a lost connection must reject, not end`,
          );
          for (let seq = 1; seq <= top; seq++) {
            const payload = acknowledged.get(seq);
            if (payload)
              assertEqual(
                events[seq - 1]?.payload,
                payload,
                `payload at seq ${seq}, in a read that completed while the connection dropped`,
              );
          }
          await pause();
        }
      };

      let failure: unknown;
      const workers = [
        ...Array.from({ length: APPENDERS }, (_, i) => () => appender(`a${i}`)),
        ...own.map((stream, i) => () => expecter(`e${i}`, stream)),
        ...Array.from({ length: READERS }, () => reader),
      ].map(async (work) => {
        try {
          await work();
        } catch (error) {
          failure ??= error;
          stop = true;
        }
      });

      // The workers run for a while first, so that the interruptions land in the middle of calls.
      while (acknowledged.size < PREFILL + 10 && !stop) await new Promise((resolve) => setTimeout(resolve, 1));
      let mostInFlight = 0;
      for (let interruption = 0; interruption < INTERRUPTIONS && !stop; interruption++) {
        // At a turn of the event loop when calls, one with expect among them, wait on the backend.
        for (let turn = 0; (inFlight === 0 || expectsInFlight === 0) && turn < 1_000 && !stop; turn++) {
          await new Promise((resolve) => setImmediate(resolve));
        }
        const before = inFlight;
        await context.interrupt();
        mostInFlight = Math.max(mostInFlight, before, inFlight);
        interrupted = true;
        const enough = completedAfter + AFTERWARDS;
        while (completedAfter < enough && !stop) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      stop = true;
      await Promise.all(workers);
      if (failure !== undefined) throw failure;
      assert(
        mostInFlight > 0,
        'no call was in flight when the connection dropped: make the interrupt hook act at once (terminate the sessions, close the handle), not after the calls in flight drained',
      );

      const events = await readAll(store, shared);
      assertRun(events, 0, 'the shared stream after the interruption');
      for (const [seq, payload] of acknowledged)
        assertEqual(events[seq - 1]?.payload, payload, `payload at seq ${seq}, which was acknowledged`);
      const copies = new Map<string, number>();
      for (const stream of [shared, ...own]) {
        const stored = await readAll(store, stream);
        assertRun(stored, 0, `stream ${stream} after the interruption`);
        for (const event of stored) {
          const name = key(event.payload as Payload);
          copies.set(name, (copies.get(name) ?? 0) + 1);
        }
      }
      for (const payload of attempted) {
        const count = copies.get(key(payload)) ?? 0;
        assert(count <= 1, `append ${key(payload)} is stored ${count} times: an append was retried after it had committed`);
      }
      assertEqual(
        await appendOk(store, shared, { w: 'after', n: 0 }, events.length),
        events.length + 1,
        'seq of an append with expect after the interruption',
      );
    },
  },
]);
