import { checkName } from './check-name.js';
import { isSeq } from './check-seq.js';
import { checkStream } from './check-stream.js';
import { describeValue } from './describe-value.js';
import { InvalidArgumentError } from './invalid-argument-error.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, serializeArgument } from './serialize-payload.js';

/** A snapshot checked for saving: its state's JSON text, written in the pass that checked it. */
export type PreparedSnapshot =
  | { readonly ok: true; readonly version: number; readonly seq: number; readonly stateJson: string }
  | { readonly ok: false; readonly error: InvalidArgumentError };

const SNAPSHOT_KEYS = new Set(['version', 'seq', 'state']);

/**
 * Checks the arguments of `saveSnapshot` (clause C14.3) and writes the
 * state's JSON text: `stream` as for `append`, `name` under the same rules,
 * `snapshot` a plain object `{ version, seq, state }` with `version` and
 * `seq` non-negative safe integers and `state` a payload (C5.3, at most
 * `maxPayloadBytes`).
 *
 * @example
 * ```ts
 * const prepared = prepareSnapshot('account-1', 'balance', { version: 1, seq: 9, state: { balance: 3 } });
 * if (prepared.ok) db.save(prepared.version, prepared.seq, prepared.stateJson);
 * ```
 */
export function prepareSnapshot(
  stream: unknown,
  name: unknown,
  snapshot: unknown,
  options: { readonly maxPayloadBytes?: number } = {},
): PreparedSnapshot {
  const invalid = checkSnapshotKey(stream, name);
  if (invalid) return { ok: false, error: invalid };
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) {
    return {
      ok: false,
      error: new InvalidArgumentError('snapshot', `must be an object { version, seq, state } (got ${describeValue(snapshot)})`),
    };
  }
  const unknown = Object.keys(snapshot).find((key) => !SNAPSHOT_KEYS.has(key));
  if (unknown !== undefined) {
    return {
      ok: false,
      error: new InvalidArgumentError('snapshot', `has no field ${JSON.stringify(unknown)} (known: version, seq, state)`),
    };
  }
  const { version, seq, state } = snapshot as Record<string, unknown>;
  if (!isSeq(version)) {
    return {
      ok: false,
      error: new InvalidArgumentError('snapshot', `must be a non-negative safe integer (got ${describeValue(version)})`, '.version'),
    };
  }
  if (!isSeq(seq)) {
    return {
      ok: false,
      error: new InvalidArgumentError('snapshot', `must be a non-negative safe integer (got ${describeValue(seq)})`, '.seq'),
    };
  }
  if (!('state' in snapshot))
    return { ok: false, error: new InvalidArgumentError('snapshot', 'must be a JSON value (got undefined)', '.state') };
  const serialized = serializeArgument(state, options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, 'snapshot', ['state']);
  if (!serialized.ok) return serialized;
  return { ok: true, version, seq, stateJson: serialized.json };
}

/**
 * Checks the arguments of `loadSnapshot` (and the key of `saveSnapshot`):
 * `stream` as for `append`, `name` under the same rules.
 *
 * @example
 * ```ts
 * checkSnapshotKey('account-1', ''); // InvalidArgumentError: name must be a non-empty string (got "")
 * ```
 */
export function checkSnapshotKey(stream: unknown, name: unknown): InvalidArgumentError | undefined {
  return checkStream(stream) ?? checkName(name);
}
