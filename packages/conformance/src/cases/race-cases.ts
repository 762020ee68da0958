import { assert } from '../assertions.js';
import { type Child, runChildren, withChildren } from '../child-processes.js';
import { type CaseContext, defineCases } from '../conformance-case.js';
import { checkRace } from '../race/check-race.js';
import { type RaceOutcome, type RacerPlan, runRacer } from '../race/run-racer.js';
import { readAll } from '../store-calls.js';

const PROCESSES = 4;
const APPENDS = 150;
/** Appends per process behind the held lock: the first one is what counts, the rest race freely after it. */
const QUEUED_APPENDS = 30;
/** Long enough for every racer, told to go once the lock is held, to have sent its first append; short against a 3 s busy timeout. */
const HOLD_MS = 800;
/**
 * A racer's first append counts as made behind the lock when it started this long before the
 * earliest the lock can have been released (the hook was called HOLD_MS before that): time for
 * the append to read the last seq, even in a process the machine is slow to schedule.
 */
const BEHIND_LOCK_MARGIN_MS = 100;
/** Races run again, on a new stream, when a racer started too late to be behind the lock. */
const ATTEMPTS = 5;

const HINT =
  'check that the write lock is taken before the last seq is read (BEGIN IMMEDIATE, not DEFERRED; the read inside the transaction), and that the lock wait (busy timeout) is long enough for several writers queueing on it';

/**
 * Runs one racer in this process and one in each of `PROCESSES - 1` children
 * on one stream, all told to go at once (after `beforeGo`, which may hold the
 * write lock), and checks every outcome against the stream.
 */
async function race(context: CaseContext, appends: number, beforeGo: () => Promise<void>): Promise<RaceOutcome[]> {
  const stream = context.stream('race');
  const plan = (p: number): RacerPlan => ({ client: `p${p}`, stream, appends });
  const shared = await context.share();
  const outcomes: RaceOutcome[] = [];
  await withChildren(async (spawn) => {
    const children: Child[] = Array.from({ length: PROCESSES - 1 }, (_, p) => spawn(shared, { kind: 'race', plans: [plan(p + 1)] }));
    await Promise.all(children.map((child) => child.waitFor((m) => 'ready' in m)));
    await beforeGo();
    // Every child is told before this process's racer starts: a synchronous driver may block this thread while it waits for the lock.
    await Promise.all(children.map((child) => child.go()));
    await runRacer(context.store, plan(0), (outcome) => outcomes.push(outcome));
    await runChildren(children);
    for (const child of children) for (const message of child.messages) if ('race' in message) outcomes.push(message.race);
  });
  checkRace(outcomes, await readAll(context.store, stream), PROCESSES * appends);
  return outcomes;
}

/**
 * Races behind a lock held elsewhere until every racer's first append was
 * made while it was held: a racer the machine started late would race
 * freely, where a store reading the last seq outside the lock can pass.
 */
async function raceBehindHeldLock(context: CaseContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let calledAt = 0;
    const outcomes = await race(context, QUEUED_APPENDS, () => {
      calledAt = Date.now();
      return context.holdWriteLock(HOLD_MS);
    });
    const deadline = calledAt + HOLD_MS - BEHIND_LOCK_MARGIN_MS;
    const late = outcomes.filter((outcome) => outcome.n === 0 && outcome.startedAt > deadline);
    if (late.length === 0) return;
    assert(
      attempt < ATTEMPTS,
      `in each of ${ATTEMPTS} races a racer made its first append too late to be behind the held lock (the last time: ${late.map((o) => `${o.client} ${o.startedAt - calledAt} ms after the hook was called`).join(', ')}), so the case could not test what it is for`,
    );
  }
}

/** C2.5 across processes: appends with and without expect racing on one stream from several processes. */
export const raceCases = defineCases([
  {
    id: 'C2.5-appends-racing-from-several-processes-succeed-or-conflict',
    level: 'MUST',
    title: `${PROCESSES} processes append ${APPENDS} times each to one stream at once, every other append with the expect they last learnt: each append succeeds or conflicts, none rejects, and the stream holds exactly the acknowledged events`,
    hint: HINT,
    needs: ['share'],
    run: async (context) => {
      await race(context, APPENDS, async () => {});
    },
  },
  {
    id: 'C2.5-appends-racing-from-several-processes-behind-a-held-lock-succeed-or-conflict',
    level: 'MUST',
    title: `${PROCESSES} processes start appending to one stream, first with expect 0, while another connection holds the write lock for ${HOLD_MS} ms, so that every first append waits for the lock at once, then go on racing (${QUEUED_APPENDS} appends each, every other with the expect they last learnt): one first append stores seq 1, the others conflict, none rejects, and the stream holds exactly the acknowledged events`,
    hint: HINT,
    needs: ['share', 'holdWriteLock'],
    run: raceBehindHeldLock,
  },
]);
