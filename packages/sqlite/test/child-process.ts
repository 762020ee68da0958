import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const live = new Set<ChildProcessWithoutNullStreams>();
afterEach(() => {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
});

/** A child process running a fixture, its stdout read line by line; killed after the test if still running. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** Resolves when the child prints a line matching `test`. */
  waitFor(test: (line: string, count: number) => boolean): Promise<void>;
  /** Resolves with the exit code (or signal) once the child has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function spawnFixture(fixture: string, args: readonly string[], nodeArgs: readonly string[] = []): Child {
  const script = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: 'pipe' });
  live.add(child);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let done = false;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const wake of waiters) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      // Let readline deliver the last lines before anyone reads them.
      setImmediate(() => {
        done = true;
        resolve({ code, signal, stderr });
        for (const wake of waiters) wake();
      });
    });
  });
  return {
    process: child,
    lines,
    exited,
    waitFor(test) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (lines.some((line, index) => test(line, index + 1))) {
            waiters.delete(check);
            resolve();
          } else if (done) {
            waiters.delete(check);
            reject(new Error(`${fixture} exited before printing the awaited line; stderr: ${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Starts children, waits until each has opened the store, then releases them together. */
export async function startTogether(children: readonly Child[]): Promise<void> {
  await Promise.all(children.map((child) => child.waitFor((line) => line === 'ready')));
  for (const child of children) child.process.stdin.end('go\n');
}

/** Waits for every child to exit and fails with its stderr if one did not exit 0. */
export async function allExitCleanly(children: readonly Child[]): Promise<void> {
  for (const { code, signal, stderr } of await Promise.all(children.map((child) => child.exited))) {
    if (code !== 0) throw new Error(`a child exited with ${code ?? signal}: ${stderr}`);
  }
}
