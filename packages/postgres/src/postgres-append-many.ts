import { type AppendManyResult, prepareAppendMany, type Seq, UnexpectedSeqError } from '@hume/core';
import type { GroupLimits, UnitOutcome } from './postgres-group-commit.js';

/** The most events one `appendMany` call stores (the contract asks for at least 10,000). */
export const MAX_APPEND_MANY_EVENTS = 100_000;

/**
 * The least UTF-8 bytes of JSON one `appendMany` may hold in total: 64 MiB,
 * or the store's `maxPayloadBytes` when that is larger. The batch travels
 * as one `json[]` parameter, well inside the 1 GiB a PostgreSQL message holds.
 */
// Stryker disable next-line ArithmeticOperator: equivalent for the contract: C11 asks a batch to hold the store's maximum payload bytes in total, which the larger of this and maxPayloadBytes keeps; the 64 MiB floor is this adapter's own (its own tests check it)
export const MIN_APPEND_MANY_BYTES = 64 * 1024 * 1024;

/**
 * The store's group commit: one statement in flight at a time (the
 * benchmark's measurement, see the README), and statements of at most
 * 10,000 events or 4 Mi JSON characters, except a single `appendMany`
 * larger than that, which goes alone.
 */
// Stryker disable next-line ArithmeticOperator: performance only: how many JSON characters one group commit statement carries (smaller statements, more round trips)
export const groupLimits: GroupLimits = Object.freeze({ inFlight: 1, events: 10_000, chars: 4 * 1024 * 1024 });

/**
 * The group commit on Citus: one stream per statement, so that each is one
 * call pushed down to the stream's worker, and as many statements in flight
 * as the pool has connections (`connections`), since they go to different
 * workers rather than queue on one server's locks.
 */
// kit scope: outside the contract — placement on Citus (option citus); the Citus suite (pnpm test:citus) runs the kit there
export function citusGroupLimits(connections: number): GroupLimits {
  return Object.freeze({ ...groupLimits, inFlight: Math.max(1, connections), oneStream: true });
  // kit scope: end
}

/**
 * `appendMany` of a store that commits through a group commit: checks the
 * arguments and serialises the payloads in one pass (core's
 * `prepareAppendMany`; one bad payload refuses the batch, nothing stored)
 * and submits them as one unit.
 *
 * @example
 * ```ts
 * return appendMany((jsons, expect) => submit(stream, jsons, expect), stream, payloads, expect, maxPayloadBytes);
 * ```
 */
export async function appendMany(
  submit: (payloads: readonly string[], expect: Seq | undefined) => Promise<UnitOutcome>,
  stream: string,
  payloads: readonly unknown[],
  expect: Seq | null | undefined,
  maxPayloadBytes: number,
): Promise<AppendManyResult> {
  const prepared = prepareAppendMany(stream, payloads, expect, {
    maxPayloadBytes,
    maxBatchEvents: MAX_APPEND_MANY_EVENTS,
    // Stryker disable next-line MethodExpression: equivalent for the contract, which asks for the store's maximum payload bytes in a batch (C11.1); the larger limit this adapter documents is checked by its own tests
    maxBatchBytes: Math.max(MIN_APPEND_MANY_BYTES, maxPayloadBytes),
  });
  if (!prepared.ok) return prepared;
  const outcome = await submit(prepared.json, expect ?? undefined);
  if (!outcome.ok) return { ok: false, error: new UnexpectedSeqError(stream, expect as Seq, outcome.actual) };
  return { ok: true, first: outcome.seq - prepared.json.length + 1, seq: outcome.seq };
}
