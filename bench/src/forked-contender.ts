// A contender in a child process of its own, for peers that can end the
// process they run in (Emmett SQLite's concurrent appends throw, now and
// then, from inside node-sqlite3's callbacks, past every catch).
import { type ChildProcess, fork } from 'node:child_process';
import { NotRun } from './not-run.js';
import type { Contender, Notes } from './scenario.js';
import type { FromChild, ToChild } from './serve-contender.js';

export interface ForkedContender extends Contender {
  /** What the child reported once set up (Emmett's pragmas); empty before. */
  settings(): string;
}

/**
 * How long the child has to answer one message: a round of the full run takes seconds, so a child
 * silent this long hangs (a peer waiting forever on a lock it lost), and its row is not run rather
 * than the whole run waiting on it.
 */
const ANSWER_WITHIN_MS = 5 * 60_000;

/**
 * Runs `script` (a module that calls serveContender) with `args` in a child
 * process, forked in setup, and asks it for each step. When the child fails
 * or dies (an uncaught error ends it, not the suite), that step and every
 * later one throw NotRun with the child's reason, and runScenario reports the
 * contender as not run; so does a child that does not answer within
 * `answerWithinMs` (it is killed at teardown). Timing stays in the parent,
 * around one message's round trip per round: runScenario times it as it
 * times every other contender, interleaved with them, and a message costs
 * microseconds against a round's thousands of appends.
 */
export function forkedContender(
  name: string,
  script: string,
  args: readonly string[] = [],
  answerWithinMs = ANSWER_WITHIN_MS,
): ForkedContender {
  let child: ChildProcess | undefined;
  let closed: Promise<void> = Promise.resolve();
  let settings = '';
  let notes: Notes = {};
  /** Set once the child answered the teardown: its exit is then the end it was asked for. */
  let finished = false;
  let failure: string | undefined;
  let pending: { resolve(message: FromChild): void; reject(error: NotRun): void } | undefined;

  const fail = (reason: string): void => {
    failure ??= reason;
    pending?.reject(new NotRun(failure));
    pending = undefined;
  };
  /** Sends `message` (if any) and resolves with the child's next answer. */
  const ask = (message?: ToChild): Promise<FromChild> => {
    if (failure !== undefined || !child?.connected) return Promise.reject(new NotRun(failure ?? 'its child process is not running'));
    let timer: NodeJS.Timeout | undefined;
    const asked = new Promise<FromChild>((resolve, reject) => {
      pending = { resolve, reject };
      timer = setTimeout(() => fail(`its child process did not answer within ${answerWithinMs / 1000} s`), answerWithinMs);
    });
    if (message !== undefined) child.send(message);
    return asked.finally(() => clearTimeout(timer));
  };

  return {
    name,
    async setup() {
      // --expose-gc: the child collects its garbage between rounds, as the parent does.
      const execArgv = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
      const forked = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
      child = forked;
      forked.on('message', (message: FromChild) => {
        if (message.type === 'failed') return fail(message.reason);
        if (message.type === 'closed') finished = true;
        const answered = pending;
        pending = undefined;
        answered?.resolve(message);
      });
      forked.on('error', (error) => fail(error.message));
      // 'close', not 'exit': it comes after the last message the child sent, so its own reason is kept.
      closed = new Promise((resolve) => {
        forked.on('close', (code, signal) => {
          if (!finished) fail(`its child process ended (${signal ?? `exit code ${code}`})`);
          resolve();
        });
      });
      await ask(); // 'listening': what is sent before it could be lost.
      const ready = await ask({ type: 'setup' });
      if (ready.type === 'ready') settings = ready.settings;
    },
    async run(ops) {
      await ask({ type: 'run', ops });
    },
    async teardown() {
      if (child === undefined) return;
      // A failure here is kept in `failure`, thrown below once the child is gone.
      const answer = failure === undefined ? await ask({ type: 'teardown' }).catch(() => undefined) : undefined;
      if (answer?.type === 'closed') notes = answer.notes;
      // A child that failed may still be running appends: it gets no say in its end.
      if (!finished) child.kill('SIGKILL');
      await closed;
      if (failure !== undefined) throw new NotRun(failure);
    },
    notes: () => notes,
    settings: () => settings,
  };
}
