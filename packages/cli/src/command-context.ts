import type { Writable } from 'node:stream';

/** Where a command writes and what it reads: the process's, or a test's. */
export interface CommandContext {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  /** The exit code the command chose; 0 unless it sets one. */
  exitCode: number;
}
