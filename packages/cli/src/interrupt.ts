/** What {@link onInterrupt} gives a command: the signal, and a way to stop listening. */
export interface Interrupt {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Turns the first Ctrl-C (SIGINT) into an aborted signal, which long
 * commands check at each batch boundary, and says so on stderr; a second
 * Ctrl-C ends the process at once with exit code 130, like a shell would.
 *
 * @example
 * ```ts
 * const interrupt = onInterrupt(process.stderr, 'copy stops after the batches in flight');
 * try { await copyStores(a, b, { signal: interrupt.signal }) } finally { interrupt.dispose() }
 * ```
 */
export function onInterrupt(stderr: NodeJS.WritableStream, what: string): Interrupt {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) {
      stderr.write('\nhume: stopped at once (second Ctrl-C)\n');
      process.exit(130);
    }
    stderr.write(`\nhume: Ctrl-C: ${what} (Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
    },
  };
}
