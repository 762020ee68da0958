import type { Seq } from '@hume/core';

/** What one client did, with when it started and when it ended (ms on one clock). */
export type Operation = AppendOperation | ReadOperation;

interface Timed {
  /** Unique in the history; appends put it in their payload as `op`. */
  readonly id: number;
  readonly client: string;
  readonly stream: string;
  readonly invokedAt: number;
  completedAt: number;
  /** Set when the call rejected (or a read's next() did). */
  error?: string;
}

export interface AppendOperation extends Timed {
  readonly kind: 'append';
  readonly expect: Seq | null;
  result?: { ok: true; seq: Seq } | { ok: false; code: string; expected?: unknown; actual?: unknown };
}

export interface ReadOperation extends Timed {
  readonly kind: 'read';
  readonly from: Seq;
  /** The events yielded, as [seq, op id of the append that wrote it]. */
  events?: [Seq, number | undefined][];
}

/** A stream as read once the workload is over: [seq, op id] per event. */
export type FinalStreams = ReadonlyMap<string, readonly [Seq, number | undefined][]>;

/** A broken clause, with the few operations that show it. */
export interface Violation {
  readonly clause: string;
  readonly message: string;
  readonly witness: readonly Operation[];
}

/**
 * The clock histories are recorded on: comparable across the processes of one machine. The monotonic clock
 * of the system (CLOCK_MONOTONIC), in milliseconds: `performance.timeOrigin` is a wall-clock reading taken
 * once per process, and on a loaded machine processes' origins were measured tens of ms apart, which made
 * the cross-process history case report orders that never happened.
 */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
