import { assert, assertEqual, assertRun } from '../assertions.js';
import { runChildren, withChildren } from '../child-processes.js';
import { defineCases } from '../conformance-case.js';
import { type RaceOutcome, type RacerPlan, runRacer } from '../race/run-racer.js';
import { appendOk, readAll } from '../store-calls.js';

const PROCESSES = 4;
const APPENDS = 150;

/** C2.5 across processes: appends with and without expect racing on one stream from several processes. */
export const raceCases = defineCases([
  {
    id: 'C2.5-appends-racing-from-several-processes-succeed-or-conflict',
    level: 'MUST',
    title: `${PROCESSES} processes append ${APPENDS} times each to one stream at once, every other append with the expect they last learnt: each append succeeds or conflicts, none rejects, and the stream holds exactly the acknowledged events`,
    hint: 'check that the write lock is taken before the last seq is read (BEGIN IMMEDIATE, not DEFERRED; the read inside the transaction), and that the lock wait (busy timeout) is long enough for several writers queueing on it',
    needs: ['share'],
    async run(context) {
      const stream = context.stream('race');
      const start = context.stream('start');
      const plan = (p: number): RacerPlan => ({ client: `p${p}`, stream, start, appends: APPENDS });
      const shared = await context.share();
      const outcomes: RaceOutcome[] = [];
      await withChildren(async (spawn) => {
        const children = Array.from({ length: PROCESSES - 1 }, (_, p) => spawn(shared, { kind: 'race', plans: [plan(p + 1)] }));
        await Promise.all(children.map((child) => child.waitFor((m) => 'ready' in m)));
        const racing = runRacer(context.store, plan(0), (outcome) => outcomes.push(outcome));
        await appendOk(context.store, start, 'go');
        await racing;
        await runChildren(children);
        for (const child of children) for (const message of child.messages) if ('race' in message) outcomes.push(message.race);
      });
      assertEqual(outcomes.length, PROCESSES * APPENDS, 'outcomes reported by the racers');
      const rejected = outcomes.filter((outcome) => outcome.rejected !== undefined);
      assert(
        rejected.length === 0,
        `${rejected.length} of ${outcomes.length} racing appends failed instead of succeeding or conflicting, e.g. ${rejected[0]?.client} #${rejected[0]?.n} (expect ${rejected[0]?.expect}): ${rejected[0]?.rejected}`,
      );
      const events = await readAll(context.store, stream);
      assertRun(events, 0, 'the stream after the race');
      const stored = outcomes.filter((outcome) => outcome.seq !== undefined);
      assertEqual(events.length, stored.length, 'events in the stream, one per acknowledged append');
      for (const outcome of stored) {
        const { client, n, expect, seq = 0 } = outcome;
        assertEqual(events[seq - 1]?.payload, { client, n }, `payload at seq ${seq}, acknowledged to ${client} #${n}`);
        if (expect !== null) assertEqual(seq, expect + 1, `seq of ${client} #${n}, appended with expect ${expect}`);
      }
      for (const { client, n, expect, actual } of outcomes) {
        if (actual === undefined) continue;
        assert(
          expect !== null && actual > expect && actual <= events.length,
          `${client} #${n} conflicted with expect ${expect} and actual ${actual}: the stream only grows, so actual must be above expect and at most ${events.length}`,
        );
      }
    },
  },
]);
