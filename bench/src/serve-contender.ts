// The child's side of forkedContender: one contender, served to the parent
// over the IPC channel that fork() opens, one message per step of its life.
import type { Contender, Notes } from './scenario.js';

/** What the parent sends. */
export type ToChild = { readonly type: 'setup' } | { readonly type: 'run'; readonly ops: number } | { readonly type: 'teardown' };

/** What the child answers: that it listens (its first message), each step's end, or why it failed. */
export type FromChild =
  | { readonly type: 'listening' }
  | { readonly type: 'ready'; readonly settings: string }
  | { readonly type: 'done' }
  | { readonly type: 'closed'; readonly notes: Notes }
  | { readonly type: 'failed'; readonly reason: string };

/**
 * Serves `contender` to the parent; `settings` is read once it is set up
 * (Emmett's pragmas, for the scenario's notes). An error a step throws is
 * answered as `failed`. One that escapes every step (an uncaught exception
 * from a native callback, an unhandled rejection) is sent as `failed` too,
 * then the child exits: the contender's connection is in no known state.
 */
export function serveContender(contender: Contender, settings: () => string = () => ''): void {
  let dying = false;
  const die = (how: string) => (error: unknown) => {
    if (dying) return;
    dying = true;
    void send({ type: 'failed', reason: `${describe(error)} (${how} in its child process)` }).finally(() => process.exit(1));
  };
  process.on('uncaughtException', die('uncaught'));
  process.on('unhandledRejection', die('an unhandled rejection'));
  // The parent gone (its suite ended or was killed), nothing is left to serve.
  process.on('disconnect', () => process.exit(dying ? 1 : 0));
  process.on('message', async (message: ToChild) => {
    try {
      if (message.type === 'setup') {
        await contender.setup?.();
        await send({ type: 'ready', settings: settings() });
      } else if (message.type === 'run') {
        await contender.run(message.ops);
        await send({ type: 'done' });
        // As the parent does before each round, but after the answer, so that it is not timed.
        globalThis.gc?.();
      } else {
        await contender.teardown?.();
        await send({ type: 'closed', notes: (await contender.notes?.()) ?? {} });
        process.exit(0);
      }
    } catch (error) {
      await send({ type: 'failed', reason: describe(error) });
    }
  });
  // A message that came before this listener would have been lost: the parent waits for this one before its first.
  void send({ type: 'listening' });
}

/** Resolves once the message is handed to the channel (or at once when the parent is gone). */
function send(message: FromChild): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || process.send === undefined) resolve();
    else process.send(message, undefined, undefined, () => resolve());
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
