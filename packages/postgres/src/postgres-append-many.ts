import { checkExpect, checkPayload, checkStream, InvalidArgumentError, type Seq, UnexpectedSeqError } from '@hume/core';
import type { GroupLimits, UnitOutcome } from './postgres-group-commit.js';

/** The most events one `appendMany` call stores. */
export const MAX_APPEND_MANY_EVENTS = 100_000;

/** The most JSON characters one `appendMany` call stores, all payloads together: 64 Mi, a modest share of the 1 GiB a PostgreSQL message may hold. */
export const MAX_APPEND_MANY_CHARS = 64 * 1024 * 1024;

/**
 * The store's group commit: one statement in flight at a time (the
 * benchmark's measurement, see the README), and statements of at most
 * 10,000 events or 4 Mi JSON characters, except a single `appendMany`
 * larger than that, which goes alone.
 */
export const groupLimits: GroupLimits = Object.freeze({ inFlight: 1, events: 10_000, chars: 4 * 1024 * 1024 });

/** What `appendMany` resolves to: the last event's seq and the first's, or a refusal as for `append`. */
export type AppendManyResult =
  | { readonly ok: true; readonly seq: Seq; readonly first: Seq }
  | { readonly ok: false; readonly error: InvalidArgumentError | UnexpectedSeqError };

/**
 * `appendMany` of a store that commits through a group commit: checks the
 * arguments (nothing is stored if one payload is refused), serialises the
 * payloads and submits them as one unit.
 *
 * @example
 * ```ts
 * return appendMany(() => assertOpen(), (jsons, expect) => submit(stream, jsons, expect), stream, payloads, expect);
 * ```
 */
export async function appendMany(
  assertOpen: () => void,
  submit: (payloads: readonly string[], expect: Seq | undefined) => Promise<UnitOutcome>,
  stream: string,
  payloads: readonly unknown[],
  expect: Seq | null | undefined,
): Promise<AppendManyResult> {
  assertOpen();
  const prepared = prepareAppendMany(stream, payloads, expect);
  if (!prepared.ok) return prepared;
  const outcome = await submit(prepared.jsons, expect ?? undefined);
  if (!outcome.ok) return { ok: false, error: new UnexpectedSeqError(stream, expect as Seq, outcome.actual) };
  return { ok: true, seq: outcome.seq, first: outcome.seq - prepared.jsons.length + 1 };
}

type Prepared = { readonly ok: true; readonly jsons: string[] } | { readonly ok: false; readonly error: InvalidArgumentError };

function prepareAppendMany(stream: unknown, payloads: unknown, expect: unknown): Prepared {
  const invalid = checkStream(stream) ?? checkExpect(expect);
  if (invalid) return { ok: false, error: invalid };
  if (!Array.isArray(payloads) || payloads.length === 0 || payloads.length > MAX_APPEND_MANY_EVENTS) {
    const got = Array.isArray(payloads) ? `${payloads.length} payloads` : typeof payloads;
    return {
      ok: false,
      error: new InvalidArgumentError('payload', `must be an array of 1 to ${MAX_APPEND_MANY_EVENTS} payloads (got ${got})`, 's'),
    };
  }
  const jsons: string[] = [];
  let chars = 0;
  for (const [index, payload] of payloads.entries()) {
    const refused = checkPayload(payload);
    if (refused) {
      const reason = refused.message.slice(`payload${refused.path} `.length);
      return { ok: false, error: new InvalidArgumentError('payload', reason, `s[${index}]${refused.path}`) };
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(payload);
    } catch (error) {
      return { ok: false, error: new InvalidArgumentError('payload', `could not be serialised (${String(error)})`, `s[${index}]`) };
    }
    if (typeof json !== 'string') return { ok: false, error: new InvalidArgumentError('payload', 'serialises to nothing', `s[${index}]`) };
    chars += json.length;
    if (chars > MAX_APPEND_MANY_CHARS) {
      return {
        ok: false,
        error: new InvalidArgumentError('payload', `must hold at most ${MAX_APPEND_MANY_CHARS} characters of JSON in total`, 's'),
      };
    }
    jsons.push(json);
  }
  return { ok: true, jsons };
}
