import type { Writable } from 'node:stream';
import pc from 'picocolors';

/** The colour functions the command uses; identity functions when colour is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colour for a stream only when it is a terminal and `NO_COLOR` is unset or
 * empty (no-color.org).
 *
 * @example
 * ```ts
 * const colors = colorsFor(process.stdout);
 * ```
 */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colors {
  const enabled = stream.isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  return pc.createColors(enabled);
}

/**
 * Writes text, waiting when the stream's buffer is full, so that a large
 * read or export piped into a slow reader keeps memory bounded.
 *
 * @example
 * ```ts
 * await write(process.stdout, 'line\n');
 * ```
 */
export async function write(stream: Writable, text: string): Promise<void> {
  if (stream.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      stream.off('drain', done);
      stream.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
  });
}

/** A whole number with thousands separators, for people. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
