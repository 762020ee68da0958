import type { Seq, UnexpectedSeqError } from '@hume/core';

/** One call's events on their way to the database: `append` brings one payload, `appendMany` several. */
export interface PendingAppend {
  readonly stream: string;
  /** The payloads as JSON text, in order; never empty. */
  readonly payloads: readonly string[];
  readonly expect: Seq | null | undefined;
}

/** How a pending append ended: stored at `first` … `seq`, or refused by its `expect`. */
export type AppendOutcome =
  | { readonly ok: true; readonly seq: Seq; readonly first: Seq }
  | { readonly ok: false; readonly error: UnexpectedSeqError };
