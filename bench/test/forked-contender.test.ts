// A peer that crashes in its child process must cost only its own row: the
// scenario goes on, interleaved as before, and reports the peer as not run.
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { forkedContender } from '../src/forked-contender.js';
import { runScenario } from '../src/run-scenario.js';
import type { Contender, Scenario } from '../src/scenario.js';

const child = fileURLToPath(new URL('./fixtures/emmett-like-child.mjs', import.meta.url));
const ops = 10;

/** A scenario of two in-process contenders, a and c, with the stand-in between them; `turns` logs a's and c's runs in order. */
function scenario(
  how: string,
  at: number,
  rounds: number,
  answerWithinMs?: number,
): { scenario: Scenario; turns: string[]; peer: ReturnType<typeof forkedContender> } {
  const turns: string[] = [];
  const local = (name: string): Contender => ({
    name,
    async run(n) {
      turns.push(name);
      for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    },
  });
  const peer = forkedContender('emmett-like', child, [how, String(at)], answerWithinMs);
  return {
    turns,
    peer,
    scenario: {
      name: 'test: a peer in a child process',
      unit: 'append',
      ops,
      rounds,
      contenders: [local('a'), peer, local('c')],
      targets: [
        { numerator: 'a', denominator: 'emmett-like', min: 1 },
        { numerator: 'a', denominator: 'c' },
      ],
      notes: () => ({ emmett: peer.settings() }),
    },
  };
}

test('an uncaught error in the child in the middle of a round: the scenario finishes, interleaved, and reports the peer as not run', async () => {
  // Run 3 is the peer's round 2 (run 1 is its warm-up).
  const { scenario: crashing, turns } = scenario('uncaught', 3, 4);
  const result = await runScenario(crashing);
  expect(result.contenders.map((contender) => contender.name)).toEqual(['a', 'c']);
  for (const contender of result.contenders) {
    expect(contender.roundsOpsPerSecond).toHaveLength(4);
    expect(Number.isFinite(contender.opsPerSecond) && contender.opsPerSecond > 0).toBe(true);
  }
  expect(result.ratios.map((ratio) => `${ratio.numerator} / ${ratio.denominator}`)).toEqual(['a / c']);
  expect(result.notes).toEqual({
    emmett: 'synchronous=FULL (stand-in)',
    'emmett-like':
      'not run: SQLITE_BUSY: cannot commit transaction - SQL statements in progress (uncaught in its child process) (in round 2 of 4)',
  });
  // Warm-up a c; then a e c, e c a, c a e, and, the cycle done, in reverse: c e a. The order goes on without the peer.
  expect(turns).toEqual(['a', 'c', 'a', 'c', 'c', 'a', 'c', 'a', 'c', 'a']);
}, 30_000);

test('a child killed without a word, or a run that rejects, is reported as not run too', async () => {
  const killed = await runScenario(scenario('killed', 2, 2).scenario);
  expect(killed.contenders.map((contender) => contender.name)).toEqual(['a', 'c']);
  expect(killed.notes?.['emmett-like']).toBe('not run: its child process ended (SIGKILL) (in round 1 of 2)');
  const rejecting = await runScenario(scenario('rejects', 1, 2).scenario);
  expect(rejecting.contenders.map((contender) => contender.name)).toEqual(['a', 'c']);
  expect(rejecting.notes?.['emmett-like']).toBe('not run: Could not find stream position (in its warm-up round)');
}, 30_000);

test('a child that stops answering is reported as not run once its time is up, and killed', async () => {
  const started = Date.now();
  const hanging = await runScenario(scenario('hangs', 2, 2, 1_000).scenario);
  expect(hanging.contenders.map((contender) => contender.name)).toEqual(['a', 'c']);
  expect(hanging.notes?.['emmett-like']).toBe('not run: its child process did not answer within 1 s (in round 1 of 2)');
  // The scenario went on after the second without waiting for the child any longer (teardown killed it).
  expect(Date.now() - started).toBeLessThan(15_000);
}, 30_000);

test('a child that does not fail is measured like any contender, with the notes and settings it reports', async () => {
  const { scenario: working, turns, peer } = scenario('never', 0, 3);
  const result = await runScenario(working);
  expect(result.contenders.map((contender) => contender.name)).toEqual(['a', 'emmett-like', 'c']);
  const measured = result.contenders[1];
  expect(measured?.roundsOpsPerSecond).toHaveLength(3);
  expect(measured?.notes).toEqual({ runs: 4 });
  expect(result.ratios).toHaveLength(2);
  expect(result.notes).toEqual({ emmett: 'synchronous=FULL (stand-in)' });
  expect(peer.settings()).toBe('synchronous=FULL (stand-in)');
  expect(turns).toHaveLength(8);
}, 30_000);

test('an error of our own contenders still fails the scenario, and the child is ended all the same', async () => {
  const { scenario: base, peer } = scenario('never', 0, 2);
  const broken: Contender = {
    name: 'b',
    async run() {
      throw new Error('a bug of ours');
    },
  };
  await expect(runScenario({ ...base, contenders: [broken, peer] })).rejects.toThrow('a bug of ours');
  // Torn down all the same: its child is gone, so a further step is refused at once.
  await expect(peer.run(1)).rejects.toThrow('its child process is not running');
}, 30_000);
