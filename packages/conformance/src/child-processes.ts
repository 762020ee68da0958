import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ChildTask } from './child-worker.js';
import { ConformanceFailure } from './conformance-failure.js';
import type { SharedStore } from './target.js';

const worker = fileURLToPath(new URL('./child-worker.js', import.meta.url));

/** A running child: its messages so far, and its end. */
export interface Child {
  readonly messages: ChildMessage[];
  /** When each message arrived (performance.now()), index for index. */
  readonly arrivals: number[];
  /** Resolves with the exit code (or signal) once the child is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Tells the child to begin (a racer waits for it): ends its stdin with the line `go`, resolving once written. */
  go(): Promise<void>;
  /** Resolves once `count` messages match `test`. */
  waitFor(test: (message: ChildMessage) => boolean, count?: number): Promise<void>;
  kill(): void;
  readonly stderr: () => string;
}

/** Starts a child process that opens `shared` and runs `task`. */
export function startChild(shared: SharedStore, task: ChildTask): Child {
  const child: ChildProcess = spawn(process.execPath, [worker, JSON.stringify({ shared, task })], { stdio: ['pipe', 'pipe', 'pipe'] });
  // A child that is killed or has exited closes its end: writing to it then is no error of the case.
  child.stdin?.on('error', () => {});
  const messages: ChildMessage[] = [];
  const arrivals: number[] = [];
  const waiters: (() => void)[] = [];
  let buffered = '';
  let errors = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line) continue;
      messages.push(JSON.parse(line) as ChildMessage);
      arrivals.push(performance.now());
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      // Set before waking anyone: a waiter that wakes must see that the child is gone.
      gone = true;
      resolve({ code, signal });
      for (const wake of waiters.splice(0)) wake();
    });
  });
  return {
    messages,
    arrivals,
    exited,
    stderr: () => errors,
    kill: () => child.kill('SIGKILL'),
    go: () => new Promise<void>((resolve) => child.stdin?.end('go\n', resolve) ?? resolve()),
    async waitFor(test, count = 1) {
      while (messages.filter(test).length < count) {
        if (gone)
          throw new ConformanceFailure(
            `a child process ended before it reported enough: ${errors.trim().split('\n').slice(-3).join(' | ') || 'no error output'}`,
          );
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

/** Runs children to completion; fails with a child's error output when one fails. */
export async function runChildren(children: readonly Child[]): Promise<void> {
  const ends = await Promise.all(children.map((child) => child.exited));
  ends.forEach(({ code, signal }, index) => {
    if (code !== 0) {
      const stderr = children[index]?.stderr().trim().split('\n').slice(-5).join('\n') ?? '';
      throw new ConformanceFailure(`child process #${index} failed (${signal ?? `exit ${code}`}):\n${stderr}`);
    }
  });
}

/** Kills whatever children are still running once the case is over, whatever its outcome. */
export async function withChildren(body: (start: typeof startChild) => Promise<void>): Promise<void> {
  const children: Child[] = [];
  try {
    await body((shared, task) => {
      const child = startChild(shared, task);
      children.push(child);
      return child;
    });
  } finally {
    for (const child of children) child.kill();
    await Promise.all(children.map((child) => child.exited));
  }
}
