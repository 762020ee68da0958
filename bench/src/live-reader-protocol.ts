// The messages between a live-delivery row and its reader in a child process (live-reader-child.ts).

/** What the parent sends: start the live feed after a position, measure idle CPU, stop. */
export type ToReader = { readonly type: 'start'; readonly after?: string } | { readonly type: 'idle' } | { readonly type: 'stop' };

/** What the child answers. `received` carries `[stream:seq, epoch ms]` pairs. */
export type FromReader =
  | { readonly type: 'listening' }
  | { readonly type: 'caught-up' }
  | { readonly type: 'received'; readonly events: readonly (readonly [string, number])[] }
  | { readonly type: 'idle'; readonly cpuPercent: number }
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly reason: string };

/** Milliseconds since the epoch, to the microsecond: comparable between processes of one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();
