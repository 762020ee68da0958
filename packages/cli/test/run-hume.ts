import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built binary, as a user runs it. */
export const bin = fileURLToPath(new URL('../bin/hume.js', import.meta.url));

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `hume …` to the end, with `input` on stdin; NO_COLOR unset unless given. */
export function hume(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const child = start(args, options.env);
  child.stdin?.end(options.input ?? '');
  return finished(child);
}

/** Starts `hume …` and returns the child; its output is collected by {@link finished}. */
export function start(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const { NO_COLOR: _, FORCE_COLOR: __, ...inherited } = process.env;
  return spawn(process.execPath, [bin, ...args], { env: { ...inherited, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

const outputs = new WeakMap<ChildProcess, { stdout: string; stderr: string }>();

/** What the child printed so far (collected from the moment this is first called). */
export function output(child: ChildProcess): { stdout: string; stderr: string } {
  let collected = outputs.get(child);
  if (!collected) {
    const state = { stdout: '', stderr: '' };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      state.stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      state.stderr += chunk;
    });
    outputs.set(child, state);
    collected = state;
  }
  return collected;
}

/** Waits for the child to exit. */
export function finished(child: ChildProcess): Promise<Run> {
  const collected = output(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, ...collected }));
  });
}

/** Resolves once `test` holds of what the child wrote to stderr (or rejects when it exits first). */
export function waitForStderr(child: ChildProcess, test: (stderr: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const collected = output(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out; stderr so far: ${collected.stderr.slice(-500)}`)), timeoutMs);
    const check = (): void => {
      if (test(collected.stderr)) done();
    };
    const onExit = (): void => done(new Error(`exited first; stderr: ${collected.stderr.slice(-500)}`));
    const done = (error?: Error): void => {
      clearTimeout(timer);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(collected.stderr);
    };
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}
