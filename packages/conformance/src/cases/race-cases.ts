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

const HINT =
  'check that the write lock is taken before the last seq is read (BEGIN IMMEDIATE, not DEFERRED; the read inside the transaction), and that the lock wait (busy timeout) is long enough for several writers queueing on it';

/**
 * Runs one racer in this process and one in each of `PROCESSES - 1` children
 * on one stream, all told to go at once (after `beforeGo`, which may hold the
 * write lock), and checks every outcome against the stream.
 */
async function race(context: CaseContext, appends: number, beforeGo: () => Promise<void>): Promise<void> {
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
}

/** C2.5 across processes: appends with and without expect racing on one stream from several processes. */
export const raceCases = defineCases([
  {
    id: 'C2.5-appends-racing-from-several-processes-succeed-or-conflict',
    level: 'MUST',
    title: `${PROCESSES} processes append ${APPENDS} times each to one stream at once, every other append with the expect they last learnt: each append succeeds or conflicts, none rejects, and the stream holds exactly the acknowledged events`,
    hint: HINT,
    needs: ['share'],
    run: (context) => race(context, APPENDS, async () => {}),
  },
  {
    id: 'C2.5-appends-racing-from-several-processes-behind-a-held-lock-succeed-or-conflict',
    level: 'MUST',
    title: `${PROCESSES} processes start appending to one stream, first with expect 0, while another connection holds the write lock for ${HOLD_MS} ms, so that every first append waits for the lock at once, then go on racing (${QUEUED_APPENDS} appends each, every other with the expect they last learnt): one first append stores seq 1, the others conflict, none rejects, and the stream holds exactly the acknowledged events`,
    hint: HINT,
    needs: ['share', 'holdWriteLock'],
    run: (context) => race(context, QUEUED_APPENDS, () => context.holdWriteLock(HOLD_MS)),
  },
]);
